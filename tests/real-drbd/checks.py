"""One line per check, as the shell tests print them, and a count of failures."""


class Checks:
    def __init__(self):
        self.failures = 0

    def check(self, what, passed, detail=""):
        print(f"{'ok' if passed else 'FAIL'}: {what}{'' if passed else ': ' + detail}", flush=True)
        if not passed:
            self.failures += 1
        return passed
