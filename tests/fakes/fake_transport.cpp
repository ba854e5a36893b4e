#include "tests/fakes/fake_transport.h"

namespace sft::fakes {

Result<oci::HttpResponse> FakeTransport::send(const oci::HttpRequest& request, const sys::Deadline& deadline) {
  requests.push_back(request);
  budgets.push_back(deadline.remaining());
  if (!answers.empty()) {
    Result<oci::HttpResponse> a = std::move(answers.front());
    answers.pop_front();
    return a;
  }
  if (handler) return handler(request);
  // Not a 404: callers that take a 404 for "none" or "done" must not pass on a
  // request the test forgot to script.
  return fail(Errc::generic, "unscripted request: " + request.method + " " + request.url.str());
}

void FakeTransport::queue(int status, std::string body, oci::Headers headers) {
  if (oci::find_header(headers, "opc-request-id") == nullptr)
    oci::set_header(headers, "opc-request-id", "req-" + std::to_string(answers.size() + requests.size() + 1));
  answers.push_back(oci::HttpResponse{status, std::move(headers), std::move(body)});
}

oci::HttpResponse oci_error(int status, std::string code, std::string message, std::string request_id) {
  std::string body = R"({"code":")" + code + R"(","message":")" + message + R"("})";
  return oci::HttpResponse{
      status, {{"opc-request-id", std::move(request_id)}, {"content-type", "application/json"}}, std::move(body)};
}

}  // namespace sft::fakes
