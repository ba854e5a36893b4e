#pragma once
// The real Transport: libcurl. TLS peer and host verification are always on; a CA
// bundle may replace the system's; proxies come from the environment (https_proxy,
// no_proxy) as curl reads them, never for instance metadata; one connection is kept alive across the requests of
// a process; each request's timeout is what is left of its deadline.

#include <memory>
#include <string>

#include "oci-plugins/base/http.h"

namespace sft::oci {

class CurlTransport : public Transport {
 public:
  // ca_bundle: a PEM file of trusted CAs; empty: the system's.
  explicit CurlTransport(std::string ca_bundle = {});
  ~CurlTransport() override;
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;
  Result<HttpResponse> send(const HttpRequest& request, const sys::Deadline& deadline) override;

 private:
  std::string m_ca_bundle;
  void* m_handle = nullptr;  // CURL*, reused so the connection stays open
};

}  // namespace sft::oci
