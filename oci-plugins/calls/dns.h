#pragma once
// OCI DNS (/20180115): read and write one RRSet, and patch a zone's records with
// preconditions (an atomic compare-and-swap of a name's address).
//
// A zone is addressed by name or OCID plus a scope; a private zone addressed by name
// also needs its view (OCI answers 400 otherwise). Zone names and domains go into
// the path percent-encoded.
//
// Errors (every call): those of Client::call, with the operation, zone and domain first:
//   Errc::permission  HTTP 401, or 404 NotAuthorizedOrNotFound (no such zone in that
//                     scope/view, or not allowed: OCI does not say which)
//   Errc::invalid_argument  HTTP 400, or an empty zone, domain or rtype (refused
//                     before sending)
//   Errc::busy        HTTP 409/412 not worth retrying (see patch_zone_records)
//   Errc::timeout     the deadline passed, with or without an answer to retry
//   Errc::generic     anything else, and a 2xx body that is not the expected shape
// Client::last_status() tells the HTTP status, code and opc-request-id afterwards.

#include <string>
#include <vector>

#include "core/result.h"
#include "core/sys/deadline.h"
#include "oci-plugins/client/client.h"

namespace sft::oci {

struct ZoneRef {
  std::string zone_name_or_id{};  // "example.com" or "ocid1.dns-zone.oc1..."
  enum Scope { global, private_ } scope = global;
  std::string view_id{};  // required for a private zone addressed by name; else may be empty
};

// "?scope=GLOBAL" or "?scope=PRIVATE&viewId=ocid1.dnsview..." (viewId only when set).
std::string zone_query(const ZoneRef& zone);

struct Zone {
  std::string id{};
  std::string name{};
  std::string scope{};  // GLOBAL or PRIVATE
  std::string view_id{};
  std::string compartment_id{};
};
Result<Zone> parse_zone(const json& j);

// GET /zones/{zoneNameOrId}: the zone, by name (with its view when private) or OCID.
Result<Zone> get_zone(Client& client, const ZoneRef& zone, const sys::Deadline& d);

struct Record {
  std::string domain{};  // "db.example.com"
  std::string rtype{};   // "A"
  std::string rdata{};   // "10.0.0.5"
  int ttl = 0;
  std::string record_hash{};    // from OCI; ignored when writing
  std::string rrset_version{};  // from OCI; ignored when writing
  bool is_protected = false;    // from OCI; ignored when writing
};

// One record of an "items" array. Required: domain, rtype, rdata, ttl; a missing one
// (or one of the wrong type) is Errc::generic naming it. Unknown fields are ignored.
Result<Record> parse_record(const json& j);
// A {"items":[...]} body (OCI's RecordCollection). Errc::generic when "items" is
// missing or not an array, or a record is bad (naming its index).
Result<std::vector<Record>> parse_records(const json& body);

// GET /zones/{zone}/records/{domain}/{rtype}?scope=...: the RRSet's records, every
// page (opc-next-page followed). Empty when the name has no records of that type.
Result<std::vector<Record>> get_rrset(Client& client, const ZoneRef& zone, const std::string& domain,
                                      const std::string& rtype, const sys::Deadline& d);

// PUT /zones/{zone}/records/{domain}/{rtype} {"items":[{domain, rtype, rdata, ttl}]}:
// replaces the whole RRSet (idempotent; empty items delete it). An item with an empty
// domain or rtype gets the RRSet's. Returns the RRSet as OCI answered (its first page).
Result<std::vector<Record>> update_rrset(Client& client, const ZoneRef& zone, const std::string& domain,
                                         const std::string& rtype, const std::vector<Record>& items,
                                         const sys::Deadline& d);

struct RecordOperation {
  std::string domain{};
  std::string rtype{};
  std::string rdata{};  // empty: left out (REMOVE/REQUIRE/PROHIBIT then match any rdata)
  int ttl = 0;          // 0: left out (they then match any TTL)
  enum Op { add, remove, require, prohibit } op = add;
};
std::string_view operation_name(RecordOperation::Op op);  // "ADD", "REMOVE", ...

// PATCH /zones/{zone}/records {"items":[{domain, rtype, rdata?, ttl?, operation}]}:
// all of it or nothing. REQUIRE/PROHIBIT are preconditions on the zone as it is;
// when one does not hold, OCI changes nothing and answers 409 (code Conflict) or
// 412 (PreconditionFailed, NoEtagMatch): that is Errc::busy, and
// precondition_failed(client.last_status()) is true. Re-read and decide again then:
// retrying the same patch cannot succeed, and when the client retried after a lost
// answer, the first attempt may be the one that made the precondition fail.
Result<void> patch_zone_records(Client& client, const ZoneRef& zone, const std::vector<RecordOperation>& operations,
                                const sys::Deadline& d);

// True when the last call's answer was a failed precondition (409 other than the
// retryable IncorrectState/LockConflict, or 412).
bool precondition_failed(const ApiStatus& status);

}  // namespace sft::oci
