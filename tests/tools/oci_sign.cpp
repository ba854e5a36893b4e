// oci_sign: signs one request with libsft_oci's signer and prints what it produced,
// for comparison with another signer (tests/conformance/oci_common.sh).
//   oci_sign KEY_PEM_FILE KEY_ID DATE STYLE(date|x-date) METHOD URL [BODY_FILE]
// Prints JSON: {"signing_string", "authorization", "headers": {name: value}}.
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "oci-plugins/auth/signer.h"

namespace {

std::string slurp(const char* path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

int main(int argc, char** argv) {
  using namespace sft::oci;
  if (argc < 7) {
    std::fprintf(stderr, "usage: oci_sign KEY_PEM_FILE KEY_ID DATE date|x-date METHOD URL [BODY_FILE]\n");
    return 2;
  }
  auto key = PrivateKey::from_pem(slurp(argv[1]));
  auto url = Url::parse(argv[6]);
  if (!key || !url) {
    std::fprintf(stderr, "oci_sign: %s\n", (!key ? key.error() : url.error()).message.c_str());
    return 1;
  }
  DateHeader style = std::string_view(argv[4]) == "x-date" ? DateHeader::x_date : DateHeader::date;
  HttpRequest request{argv[5], *url, {}, argc > 7 ? slurp(argv[7]) : std::string()};
  set_header(request.headers, style == DateHeader::date ? "date" : "x-date", argv[3]);
  if (auto s = sign(request, Signing{argv[2], &*key, 0, style}); !s) {
    std::fprintf(stderr, "oci_sign: %s\n", s.error().message.c_str());
    return 1;
  }
  nlohmann::json headers = nlohmann::json::object();
  for (const auto& [n, v] : request.headers) headers[n] = v;
  nlohmann::json out{{"signing_string", *signing_string(request, signed_headers(request.method, style))},
                     {"authorization", *find_header(request.headers, "authorization")},
                     {"headers", headers}};
  std::cout << out.dump(2) << "\n";
  return 0;
}
