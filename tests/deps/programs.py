#!/usr/bin/env python3
"""Every program the project runs has a package that installs it.

Reads scripts/programs (program, where it runs, its Debian and Oracle Linux packages)
and the package lists of scripts/install-deps.sh and of the guest images, finds the
programs the sources and the test scripts run, and prints one line per problem:

  - a program that is run but not in scripts/programs;
  - a program whose package is not in the list that installs it (install-deps for the
    host, build-cluster-image.sh or build-guest.sh for the guests);
  - a line of scripts/programs no source runs any more.

With --installed, also checks scripts/programs against this machine: each host
program that is installed belongs to the Debian package the map names (dpkg -S).

  tests/deps/programs.py [--installed] [--list] [--root TREE]   # 0: all good, 1: problems
"""
import argparse
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # --root changes it

# What a fresh Debian 12 has before anything is installed: debootstrap's minbase
# (Essential and Priority required). On Oracle Linux: a minimal install.
DEBIAN_BASE = {
    "base-files", "bash", "bsdutils", "coreutils", "dash", "debianutils", "diffutils",
    "dpkg", "findutils", "grep", "gzip", "hostname", "libc-bin", "login", "mount",
    "ncurses-bin", "perl-base", "sed", "sysvinit-utils", "tar", "util-linux", "apt", "mawk",
}
ORACLE_BASE = {
    "bash", "coreutils", "util-linux", "findutils", "grep", "sed", "gawk", "gzip", "tar",
    "diffutils", "glibc-common", "rpm", "dnf", "which", "hostname", "shadow-utils",
}

# Words in command position that are the shell's own, not programs.
SHELL_WORDS = set("""
if then else elif fi for while until do done case esac in function select time
! { } [[ ]] ( ) . : source alias bg bind break builtin caller cd command compgen
complete continue declare dirs disown echo enable eval exec exit export false fc fg
getopts hash help history jobs kill let local logout mapfile popd printf pushd pwd
read readarray readonly return set shift shopt suspend test [ times trap true type
typeset ulimit umask unalias unset wait
""".split())

# The project's test helpers that run their arguments, with the number of arguments
# before the command: check "what" cmd..., expect "what" RC cmd..., wait_for cmd...
RUNNERS = {"check": 1, "expect": 2, "wait_for": 0, "agent_until": 0}

# Command prefixes whose argument is the program that really runs.
PREFIXES = {"exec", "env", "sudo", "nohup", "setsid", "command", "builtin", "then",
            "do", "else", "!", "time", "xargs", "nice", "stdbuf", "unshare"}


def load_map():
    programs = {}
    for n, line in enumerate((ROOT / "scripts/programs").read_text().splitlines(), 1):
        line = line.split("#", 1)[0].split()
        if not line:
            continue
        if len(line) < 4 or line[-3] not in ("host", "guest", "both", "agent"):
            sys.exit(f"scripts/programs:{n}: expected PROGRAM... host|guest|both|agent DEBIAN ORACLE")
        for name in line[:-3]:
            if name in programs:
                sys.exit(f"scripts/programs:{n}: {name} is already on line {programs[name]['line']}")
            programs[name] = {"where": line[-3], "debian": line[-2], "oracle": line[-1], "line": n}
    return programs


def alternatives(column):
    """[(owner, listed)] of a package column: OWNER, OWNER<LISTED, or A|B."""
    return [tuple(a.split("<", 1)) if "<" in a else (a, a) for a in column.split("|")]


def bash_array(text, name):
    m = re.search(rf"^{name}=\((.*?)^\)", text, re.S | re.M)
    if not m:
        sys.exit(f"scripts/install-deps.sh: no array {name}")
    words = []
    for line in m.group(1).splitlines():
        words += line.split("#", 1)[0].split()
    return set(words)


def package_lists():
    deps = (ROOT / "scripts/install-deps.sh").read_text()
    debian, oracle = bash_array(deps, "debian_packages"), bash_array(deps, "oracle_packages")
    # Added by install-deps on its own when missing.
    debian |= set(re.findall(r"missing\+=\((\S+)\)", deps))
    image = (ROOT / "tests/real-drbd/build-cluster-image.sh").read_text()
    guest = set(re.search(r"^packages=(\S+)", image, re.M).group(1).split(","))
    # The busybox guests: the packages build-guest.sh downloads and what it copies from the host.
    g = (ROOT / "tests/real-drbd/build-guest.sh").read_text()
    guest |= set(re.search(r'apt-get download -q "\$kpkg" ([^)]+)\)', g).group(1).split())
    return debian, oracle, guest


def strip_comment(line):
    out, quote = [], None
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1] in " \t;(") and not line[i - 1:i + 1] == "$#":
            break
        out.append(ch)
    return "".join(out)


def split_commands(text):
    """The simple commands of a piece of shell: split at ; & | ( ) and newlines outside
    quotes; what $( ) and backquotes hold, also inside double quotes, is split too."""
    out, buf, i, n = [], [], 0, len(text)

    def balanced(start):  # index after the ")" closing the "$(" before `start`
        depth, j, q = 1, start, None
        while j < n and depth:
            c = text[j]
            if q:
                if c == q:
                    q = None
                elif c == "\\" and q == '"':
                    j += 1
            elif c in "'\"":
                q = c
            elif c == "(":
                depth += 1
            elif c == ")":
                depth -= 1
            j += 1
        return j

    while i < n:
        c = text[i]
        if c == "\\":
            buf.append(text[i:i + 2]); i += 2; continue
        if c == "'":
            j = text.find("'", i + 1)
            j = n if j < 0 else j
            buf.append(text[i:j + 1]); i = j + 1; continue
        if c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                if text[j] == "\\":
                    j += 1
                elif text.startswith("$(", j):
                    k = balanced(j + 2)
                    out += split_commands(text[j + 2:k - 1])
                    j = k - 1
                j += 1
            buf.append(text[i:j + 1]); i = j + 1; continue
        if text.startswith("$((", i):
            k = balanced(i + 2); buf.append("0"); i = k; continue
        if text.startswith("$(", i) or c == "`":
            k = balanced(i + 2) if c == "$" else (text.find("`", i + 1) + 1 or n)
            inner = text[i + 2:k - 1] if c == "$" else text[i + 1:k - 1]
            out += split_commands(inner)
            buf.append("x"); i = k; continue
        if c in "\n;&|()":
            out.append("".join(buf)); buf = []; i += 1; continue
        buf.append(c); i += 1
    out.append("".join(buf))
    return out


def command_words(script):
    """The first word of each simple command in a piece of shell, best effort."""
    words = []
    text = "\n".join(strip_comment(l) for l in script.splitlines())
    # Drop here-documents' bodies: they are data, not commands.
    text = re.sub(r"<<-?\s*['\"]?(\w+)['\"]?([^\n]*)\n.*?\n\s*\1[ \t]*(?=\n|$)", r"\2", text, flags=re.S)
    for piece in split_commands(text):
        try:
            toks = shlex.split(piece, posix=True)
        except ValueError:
            toks = piece.split()
        while toks:
            t = toks[0]
            if re.match(r"^[A-Za-z_][A-Za-z0-9_]*(\[.*\])?\+?=", t) or t in PREFIXES or t.startswith("-"):
                if t in PREFIXES and t not in SHELL_WORDS:
                    words.append(t)  # env, setsid, xargs...: programs themselves
                toks.pop(0)
                continue
            if t == "chroot" and len(toks) > 2:
                words.append(t)
                toks = toks[2:]
                continue
            if t in ("timeout", "ip", "nsenter") and len(toks) > 1:
                words.append(t)
                toks = toks[1:]
                if t == "ip":
                    toks = toks[2:] if toks[:2] == ["netns", "exec"] else []
                while toks and (toks[0].startswith("-") or re.match(r"^[0-9.]+[smh]?$", toks[0])):
                    toks.pop(0)
                continue
            if t in ("bash", "sh") and len(toks) > 2 and toks[1] == "-c":
                words.append(t)
                words += command_words(toks[2])
                toks = []
                continue
            if t in RUNNERS and len(toks) > RUNNERS[t] + 1:
                toks = toks[RUNNERS[t] + 1:]
                continue
            break
        if toks:
            words.append(toks[0])
    return words


def program_name(word):
    word = word.strip()
    if not word or "$" in word or "{" in word or "*" in word or "=" in word:
        return None
    if "/" in word:
        if not re.match(r"^/(usr/)?(s?bin|lib/drbd)/", word):
            return None  # the project's own files, by path
        word = word.rsplit("/", 1)[1]
    return word if re.match(r"^[A-Za-z0-9_][A-Za-z0-9_.+-]*$", word) else None


def shell_functions(text):
    return set(re.findall(r"^\s*(?:function\s+)?([A-Za-z_][\w-]*)\s*\(\)", text, re.M))


BUILD_TREES = None


def skipped(path):
    """Build trees (any folder holding a CMakeCache.txt), git's own files and caches:
    not the project's sources."""
    global BUILD_TREES
    if BUILD_TREES is None:
        BUILD_TREES = {c.parent.relative_to(ROOT).parts for c in ROOT.glob("*/CMakeCache.txt")}
    parts = path.relative_to(ROOT).parts
    return (parts[0].startswith(".git") or parts[:1] in BUILD_TREES or "__pycache__" in parts
            or "node_modules" in parts)


def scan():
    """{program: {(file, where)}} for everything the tree runs."""
    found = {}

    def add(word, path, where):
        name = program_name(word)
        if name:
            found.setdefault(name, set()).add((str(path.relative_to(ROOT)), where))

    shell_files = [p for p in ROOT.glob("**/*") if p.is_file() and not skipped(p)
        and (p.suffix == ".sh" or (p.suffix == "" and p.read_bytes()[:40].startswith(b"#!") and b"sh" in p.read_bytes()[:40].split(b"\n")[0]))]
    py_files = [p for p in ROOT.glob("**/*.py") if not skipped(p)]
    cpp_files = [p for d in ("core", "agents", "stonith", "drbd-glue", "oci-plugins", "tools")
                 for p in (ROOT / d).glob("**/*.cpp") if not p.name.endswith("_test.cpp")]

    functions = set()
    for p in shell_files:
        functions |= shell_functions(p.read_text(errors="replace"))
    own = {p.name for p in shell_files + py_files}

    for p in shell_files:
        text = p.read_text(errors="replace")
        if p.name == "install-deps.sh":  # its package lists are data
            text = re.sub(r"^\w+_packages=\(.*?^\)", "", text, flags=re.S | re.M)
        # Scripts that run inside the guests run guest programs.
        where = "guest" if p.name in ("init.sh", "control-loop.sh") else "host"
        for w in command_words(text):
            if w not in SHELL_WORDS and w not in functions and w not in own:
                add(w, p, where)
    for p in py_files:
        text = p.read_text(errors="replace")
        # argv lists: subprocess.run(["prog", ...]), [..., "prog", ...] handed to Popen
        for m in re.finditer(r"[(=]\s*\[\s*[fr]?\"(/?[\w./+-]+)\"\s*,", text):
            add(m.group(1), p, "host")
        for m in re.finditer(r"shutil\.which\(\s*\"([\w.+-]+)\"", text):
            add(m.group(1), p, "host")
        # Shell run on a guest: guest.run("..."), wait_for("...") and f-strings alike.
        for m in re.finditer(r"\.(?:run|wait_for)\(\s*(?:[fr]?\"((?:[^\"\\]|\\.)*)\"|[fr]?'((?:[^'\\]|\\.)*)')", text):
            for w in command_words(m.group(1) or m.group(2) or ""):
                if w not in SHELL_WORDS and w not in functions:
                    add(w, p, "guest" if "real-drbd" in str(p) else "host")
    for p in cpp_files:
        text = p.read_text(errors="replace")
        # What the agents certainly run: a program found or run by name, or the first
        # word of an argv. These must be mapped whether or not this machine has them.
        for m in re.finditer(r"find_program\((?:[\w.]+,\s*)?\"([\w.+-]+)\"|(?:run_program|run_checked)\(\{\s*\"([\w.+-]+)\""
                             r"|argv\{\s*\"([\w.+-]+)\"|std::vector<std::string>\{\"([\w.+-]+)\",|return \{\"([\w.+-]+)\","
                             r"|\btool = \"([\w.+-]+)\"", text):
            add(next(g for g in m.groups() if g), p, "run")
        for m in re.finditer(r"\"([\w.+-]+)\"", text):
            add(m.group(1), p, "cpp")
    return found


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--installed", action="store_true")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--root", type=Path, help="the tree to check (default: this checkout)")
    args = ap.parse_args()
    if args.root:
        global ROOT
        ROOT = args.root.resolve()
    programs = load_map()
    debian, oracle, guest = package_lists()
    found = scan()
    problems = []
    for name, uses in sorted(found.items()):
        wheres = {w for _, w in uses}
        first = sorted(f for f, _ in uses)[0]
        entry = programs.get(name)
        if entry is None:
            if "run" not in wheres and ("cpp" in wheres or not on_this_machine(name)):
                continue  # a word in command position that names no program
            problems.append(f"{name}: run by {first} but not in scripts/programs")
            continue
        # What the agents run (a literal in the C++ sources) runs on a cluster node, which
        # the tests stand in for either on the host or in a guest: any WHERE will do.
        wheres -= {"cpp", "run"}
        if "host" in wheres and entry["where"] == "guest":
            problems.append(f"{name}: run on the host by {first} but scripts/programs says guest")
        if "guest" in wheres and entry["where"] == "host":
            problems.append(f"{name}: run in a guest by {first} but scripts/programs says host")
    for name, e in sorted(programs.items()):
        if name not in found:
            problems.append(f"{name}: scripts/programs:{e['line']} names it, but nothing runs it")
        listed = lambda column, packages: any(l in packages for _, l in alternatives(column))
        if e["where"] in ("host", "both"):
            if not listed(e["debian"], debian | DEBIAN_BASE):
                problems.append(f"{name}: Debian package {e['debian']} is not in install-deps.sh's debian_packages")
            if e["oracle"] != "-" and not listed(e["oracle"], oracle | ORACLE_BASE):
                problems.append(f"{name}: Oracle Linux package {e['oracle']} is not in install-deps.sh's oracle_packages")
        if e["where"] in ("guest", "both") and not listed(e["debian"], guest | DEBIAN_BASE):
            problems.append(f"{name}: Debian package {e['debian']} is not in the guest images' packages")
    if args.installed:
        problems += check_installed(programs)
    if args.list:
        for name, uses in sorted(found.items()):
            if name in programs or ({w for _, w in uses} != {"cpp"} and on_this_machine(name)):
                print(name, " ".join(sorted({f"{f}:{w}" for f, w in uses})))
    for p in problems:
        print(p)
    print(f"programs: {len(set(found) & set(programs))} programs run, {len(programs)} mapped, "
          f"{len(problems)} problems", file=sys.stderr)
    return 1 if problems else 0


def on_this_machine(name):
    """Whether a standard directory of this machine has a program called `name`."""
    return any(os.access(f"{d}/{name}", os.X_OK) and not os.path.isdir(f"{d}/{name}")
               for d in ("/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/lib/drbd"))


def check_installed(programs):
    """Each host program present on this machine comes from the package the map names."""
    problems, candidates = [], {}
    for name, e in programs.items():
        if e["where"] in ("guest", "agent"):  # a guest's image or a cluster node provides it
            continue
        paths = [f"{d}/{name}" for d in ("/usr/sbin", "/usr/bin", "/sbin", "/bin")
                 if os.access(f"{d}/{name}", os.X_OK)]
        if not paths:
            problems.append(f"{name}: not installed on this machine (install-deps.sh installs {e['debian']})")
            continue
        # dpkg knows a file by the path its package ships it at (/bin/cat, /usr/bin/cat
        # on a merged /usr), and a link's target by its own package (python3 -> python3.11).
        more = []
        for path in paths:
            real = os.path.realpath(path)
            more += [real, real.replace("/usr/", "/", 1), "/usr" + real if not real.startswith("/usr/") else real]
        candidates[name] = set(paths + [p.replace("/usr/", "/", 1) for p in paths] + more)
    everything = sorted(set().union(*candidates.values())) if candidates else []
    r = subprocess.run(["dpkg-query", "-S", *everything], capture_output=True, text=True)
    owners = {}
    for line in r.stdout.splitlines():
        if line.startswith("diversion "):
            continue
        pkgs, path = line.split(": ", 1)
        owners[path] = {p.split(":")[0].strip() for p in pkgs.split(",")}
    for name, paths in sorted(candidates.items()):
        have = set().union(*(owners.get(p, set()) for p in paths))
        want = programs[name]["debian"]
        if not any(o in have for o, _ in alternatives(want)):
            problems.append(f"{name}: installed from {', '.join(sorted(have)) or 'no package'}, not {want}")
    return problems


if __name__ == "__main__":
    sys.exit(main())
