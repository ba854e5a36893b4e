#include "oci-plugins/calls/dns.h"

#include <initializer_list>
#include <iterator>
#include <string_view>
#include <utility>

#include "oci-plugins/base/json_fields.h"
#include "oci-plugins/base/retry.h"

namespace sft::oci {
namespace {

constexpr int k_max_pages = 10000;

// "/zones/example.com/records/db.example.com/A", each segment percent-encoded
// (a wildcard "*.example.com" must not reach the wire as a bare "*").
std::string rrset_path(const ZoneRef& zone, const std::string& domain, const std::string& rtype) {
  return "/zones/" + url_encode(zone.zone_name_or_id) + "/records/" + url_encode(domain) + "/" + url_encode(rtype);
}

// Empty names would address another resource (the zone's records, a zone list).
Result<void> named(const std::string& operation, std::initializer_list<std::string_view> names) {
  for (std::string_view n : names)
    if (n.empty()) return fail(Errc::invalid_argument, operation + ": a zone, domain or rtype is empty");
  return {};
}

std::string rrset_name(const ZoneRef& zone, const std::string& domain, const std::string& rtype) {
  return domain + " " + rtype + " in zone " + zone.zone_name_or_id;
}

json record_item(const Record& r, const std::string& domain, const std::string& rtype) {
  return json{{"domain", r.domain.empty() ? domain : r.domain},
              {"rtype", r.rtype.empty() ? rtype : r.rtype},
              {"rdata", r.rdata},
              {"ttl", r.ttl}};
}

json operation_item(const RecordOperation& o) {
  json item{{"domain", o.domain}, {"rtype", o.rtype}};
  if (!o.rdata.empty()) item["rdata"] = o.rdata;
  if (o.ttl > 0) item["ttl"] = o.ttl;
  item["operation"] = std::string(operation_name(o.op));
  return item;
}

}  // namespace

std::string zone_query(const ZoneRef& zone) {
  return query_string({{"scope", zone.scope == ZoneRef::private_ ? "PRIVATE" : "GLOBAL"}, {"viewId", zone.view_id}});
}

Result<Record> parse_record(const json& j) {
  Fields f(j, "Record");
  Record r;
  r.domain = f.text("domain", k_required);
  r.rtype = f.text("rtype", k_required);
  r.rdata = f.text("rdata", k_required);
  r.ttl = f.integer("ttl", k_required);
  r.record_hash = f.text("recordHash");
  r.rrset_version = f.text("rrsetVersion");
  r.is_protected = f.flag("isProtected");
  return f.checked(std::move(r));
}

Result<std::vector<Record>> parse_records(const json& body) {
  if (!body.is_object() || !body.contains("items") || !body["items"].is_array())
    return fail(Errc::generic, "RecordCollection: missing required field items (an array)");
  return parse_each(body["items"], &parse_record);
}

Result<Zone> parse_zone(const json& j) {
  Fields f(j, "Zone");
  Zone z;
  z.id = f.text("id", k_required);
  z.name = f.text("name", k_required);
  z.scope = f.text("scope");
  z.view_id = f.text("viewId");
  z.compartment_id = f.text("compartmentId");
  return f.checked(std::move(z));
}

Result<Zone> get_zone(Client& client, const ZoneRef& zone, const sys::Deadline& d) {
  Call call{.operation = "GetZone " + zone.zone_name_or_id,
            .service = Service::dns,
            .path = "/zones/" + url_encode(zone.zone_name_or_id) + zone_query(zone)};
  if (Result<void> ok = named(call.operation, {zone.zone_name_or_id}); !ok) return std::unexpected(ok.error());
  HttpResponse response;
  Result<json> body = client.call(call, d, &response);
  if (!body) return std::unexpected(body.error());
  return parse_body(*body, &parse_zone, call.operation, response);
}

Result<std::vector<Record>> get_rrset(Client& client, const ZoneRef& zone, const std::string& domain,
                                      const std::string& rtype, const sys::Deadline& d) {
  // Not Client::list_all: the pages are {"items":[...]} objects, not arrays.
  const std::string first = rrset_path(zone, domain, rtype) + zone_query(zone);
  Call call{.operation = "GetRRSet " + rrset_name(zone, domain, rtype), .service = Service::dns, .path = first};
  if (Result<void> ok = named(call.operation, {zone.zone_name_or_id, domain, rtype}); !ok)
    return std::unexpected(ok.error());
  std::vector<Record> all;
  for (int page = 0; page < k_max_pages; ++page) {
    HttpResponse response;
    Result<json> body = client.call(call, d, &response);
    if (!body) return std::unexpected(body.error());
    Result<std::vector<Record>> records = parse_body(*body, &parse_records, call.operation, response);
    if (!records) return records;
    all.insert(all.end(), std::make_move_iterator(records->begin()), std::make_move_iterator(records->end()));
    const std::string* next = response.header("opc-next-page");
    if (next == nullptr || next->empty()) return all;
    call.path = first + "&page=" + url_encode(*next);
  }
  return fail(Errc::generic, call.operation + ": more than " + std::to_string(k_max_pages) + " pages");
}

Result<std::vector<Record>> update_rrset(Client& client, const ZoneRef& zone, const std::string& domain,
                                         const std::string& rtype, const std::vector<Record>& items,
                                         const sys::Deadline& d) {
  json list = json::array();
  for (const Record& r : items) list.push_back(record_item(r, domain, rtype));
  Call call{.operation = "UpdateRRSet " + rrset_name(zone, domain, rtype),
            .method = "PUT",
            .service = Service::dns,
            .path = rrset_path(zone, domain, rtype) + zone_query(zone),
            .body = json{{"items", std::move(list)}}};
  if (Result<void> ok = named(call.operation, {zone.zone_name_or_id, domain, rtype}); !ok)
    return std::unexpected(ok.error());
  HttpResponse response;
  Result<json> body = client.call(call, d, &response);
  if (!body) return std::unexpected(body.error());
  // Some answers carry no body; the write is done all the same.
  if (body->is_null()) return std::vector<Record>();
  return parse_body(*body, &parse_records, call.operation, response);
}

std::string_view operation_name(RecordOperation::Op op) {
  switch (op) {
    case RecordOperation::add:
      return "ADD";
    case RecordOperation::remove:
      return "REMOVE";
    case RecordOperation::require:
      return "REQUIRE";
    case RecordOperation::prohibit:
      return "PROHIBIT";
  }
  return "ADD";
}

Result<void> patch_zone_records(Client& client, const ZoneRef& zone, const std::vector<RecordOperation>& operations,
                                const sys::Deadline& d) {
  json list = json::array();
  for (const RecordOperation& o : operations) list.push_back(operation_item(o));
  Call call{.operation = "PatchZoneRecords " + zone.zone_name_or_id,
            .method = "PATCH",
            .service = Service::dns,
            .path = "/zones/" + url_encode(zone.zone_name_or_id) + "/records" + zone_query(zone),
            .body = json{{"items", std::move(list)}}};
  if (Result<void> ok = named(call.operation, {zone.zone_name_or_id}); !ok) return ok;
  // The answer lists the whole zone (paged); nobody here needs it.
  Result<json> body = client.call(call, d);
  if (!body) {
    Error e = body.error();
    if (precondition_failed(client.last_status()))
      e.message += client.maybe_applied()
                       ? "; a REQUIRE or PROHIBIT did not hold on a retry, after an attempt whose outcome is "
                         "unknown: re-read the records"
                       : "; a REQUIRE or PROHIBIT did not hold, nothing changed";
    return std::unexpected(std::move(e));
  }
  return {};
}

bool precondition_failed(const ApiStatus& status) {
  return status.status == 412 || (status.status == 409 && !retryable(status.status, status.code));
}

}  // namespace sft::oci
