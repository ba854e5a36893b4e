#pragma once
// FakeTransport: the HTTP seam in memory. It records every request it is asked to
// send and answers from a script: queued answers first (in order), then `handler`,
// then an "unscripted request" error. An answer may be an Error (no HTTP answer at all: reset, timeout).
//
//   FakeTransport t;
//   t.queue(200, R"({"id":"ocid1.instance..."})");
//   t.queue(fail(Errc::generic, "connection reset"));
//   t.handler = [](const HttpRequest& r) -> Result<HttpResponse> { ... };

#include <deque>
#include <functional>
#include <string>
#include <vector>

#include "oci-plugins/base/http.h"

namespace sft::fakes {

class FakeTransport : public oci::Transport {
 public:
  Result<oci::HttpResponse> send(const oci::HttpRequest& request, const sys::Deadline& deadline) override;

  void queue(int status, std::string body = {}, oci::Headers headers = {});
  void queue(Result<oci::HttpResponse> answer) { answers.push_back(std::move(answer)); }

  std::deque<Result<oci::HttpResponse>> answers;
  std::function<Result<oci::HttpResponse>(const oci::HttpRequest&)> handler;
  std::vector<oci::HttpRequest> requests;  // what was sent, in order
  std::vector<sys::Millis> budgets;        // the deadline's remaining time at each send
};

// A response with a JSON error body and an opc-request-id, as OCI sends them.
oci::HttpResponse oci_error(int status, std::string code, std::string message, std::string request_id = "req-1");

}  // namespace sft::fakes
