#include "core/pcmk/cib.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>

#include <memory>

#include "core/text.h"
#include "core/values.h"
#include "core/text.h"

namespace sft::pcmk {

namespace {

struct DocFree {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};
using Doc = std::unique_ptr<xmlDoc, DocFree>;

Result<Doc> parse(std::string_view cib) {
  Doc doc(xmlReadMemory(cib.data(), static_cast<int>(cib.size()), "cib.xml", nullptr,
                        XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING));
  const xmlNode* root = doc ? xmlDocGetRootElement(doc.get()) : nullptr;
  if (!root || std::string_view(reinterpret_cast<const char*>(root->name)) != "cib")
    return fail(Errc::generic, "the CIB is not a <cib> document");
  return doc;
}

std::string attr(const xmlNode* n, const char* name) {
  xmlChar* v = xmlGetProp(n, reinterpret_cast<const xmlChar*>(name));
  std::string s = v ? reinterpret_cast<const char*>(v) : "";
  xmlFree(v);
  return s;
}

bool is(const xmlNode* n, std::string_view tag) {
  return n && n->type == XML_ELEMENT_NODE && std::string_view(reinterpret_cast<const char*>(n->name)) == tag;
}

// Every element matching an XPath without user data in it.
std::vector<xmlNode*> select(xmlDoc* doc, const char* xpath) {
  std::vector<xmlNode*> out;
  xmlXPathContext* cx = xmlXPathNewContext(doc);
  xmlXPathObject* r = cx ? xmlXPathEvalExpression(reinterpret_cast<const xmlChar*>(xpath), cx) : nullptr;
  if (r && r->nodesetval)
    for (int i = 0; i < r->nodesetval->nodeNr; ++i) out.push_back(r->nodesetval->nodeTab[i]);
  xmlXPathFreeObject(r);
  xmlXPathFreeContext(cx);
  return out;
}

bool has_param(const xmlNode* primitive, std::string_view param, std::string_view value) {
  for (const xmlNode* set = primitive->children; set; set = set->next) {
    if (!is(set, "instance_attributes")) continue;
    for (const xmlNode* nv = set->children; nv; nv = nv->next)
      if (is(nv, "nvpair") && attr(nv, "name") == param && attr(nv, "value") == value) return true;
  }
  return false;
}

bool is_promotable(const xmlNode* clone) {
  if (is(clone, "master")) return true;  // the pre-2.0 spelling
  if (!is(clone, "clone")) return false;
  for (const xmlNode* set = clone->children; set; set = set->next) {
    if (!is(set, "meta_attributes")) continue;
    for (const xmlNode* nv = set->children; nv; nv = nv->next)
      if (is(nv, "nvpair") && attr(nv, "name") == "promotable") {
        const std::string v = attr(nv, "value");
        return v == "true" || v == "yes" || v == "1" || v == "on";
      }
  }
  return false;
}

// A cluster property's value (crm_config), "" when unset.
std::string cluster_option(xmlDoc* doc, std::string_view name) {
  std::string value;
  for (xmlNode* nv : select(doc, "/cib/configuration/crm_config/cluster_property_set/nvpair"))
    if (attr(nv, "name") == name) value = attr(nv, "value");
  return value;
}

}  // namespace

Result<std::string> promotable_clone(std::string_view cib, std::string_view provider, std::string_view type,
                                     std::string_view param, std::string_view value) {
  Result<Doc> doc = parse(cib);
  if (!doc) return std::unexpected(doc.error());
  std::vector<std::string> found;
  const std::string what = "ocf:" + std::string(provider) + ":" + std::string(type) + " with " + std::string(param) +
                           "=" + std::string(value);
  for (xmlNode* p : select(doc->get(), "/cib/configuration/resources//primitive[@class='ocf']")) {
    if (attr(p, "provider") != provider || attr(p, "type") != type || !has_param(p, param, value)) continue;
    const xmlNode* parent = p->parent;
    if (is(parent, "group")) parent = parent->parent;
    if (!is_promotable(parent))
      return fail(Errc::configuration, "the " + what + " (" + attr(p, "id") + ") is not in a promotable clone");
    found.push_back(attr(parent, "id"));
  }
  if (found.empty()) return fail(Errc::not_running, "no " + what + " in the CIB");
  if (found.size() > 1) return fail(Errc::configuration, "more than one " + what + " in the CIB");
  return found.front();
}

std::string_view name(NodeState s) {
  switch (s) {
    case NodeState::online:
      return "online";
    case NodeState::joining:
      return "joining";
    case NodeState::down:
      return "down";
    case NodeState::lost:
      return "lost";
    case NodeState::unclean:
      return "unclean";
    case NodeState::unknown:
      return "unknown";
  }
  return "unknown";
}

Result<NodeState> node_state(std::string_view cib, std::string_view node) {
  Result<Doc> doc = parse(cib);
  if (!doc) return std::unexpected(doc.error());
  const std::string enabled = cluster_option(doc->get(), "stonith-enabled");
  const bool fencing = !(enabled == "false" || enabled == "no" || enabled == "0" || enabled == "off");
  for (xmlNode* n : select(doc->get(), "/cib/status/node_state")) {
    if (attr(n, "uname") != node) continue;
    // in_ccm and crmd are "true"/"online" (or, from 2.1.7, a time) while up.
    const std::string ccm = attr(n, "in_ccm");
    const std::string crmd = attr(n, "crmd");
    const bool member = !ccm.empty() && ccm != "false" && ccm != "0";
    const bool controller = !crmd.empty() && crmd != "offline" && crmd != "0";
    if (member) return controller && attr(n, "join") == "member" ? NodeState::online : NodeState::joining;
    // Fenced, or shut down cleanly: the controller records both as expected and joined down.
    if (attr(n, "expected") == "down" && attr(n, "join") == "down") return NodeState::down;
    return fencing ? NodeState::unclean : NodeState::lost;
  }
  return NodeState::unknown;
}

Result<bool> has_constraint(std::string_view cib, std::string_view id) {
  Result<Doc> doc = parse(cib);
  if (!doc) return std::unexpected(doc.error());
  for (xmlNode* c : select(doc->get(), "/cib/configuration/constraints/*"))
    if (attr(c, "id") == id) return true;
  return false;
}

Result<std::vector<std::string>> node_names(std::string_view cib) {
  Result<Doc> doc = parse(cib);
  if (!doc) return std::unexpected(doc.error());
  std::vector<std::string> out;
  for (xmlNode* n : select(doc->get(), "/cib/configuration/nodes/node"))
    if (const std::string uname = attr(n, "uname"); !uname.empty()) out.push_back(uname);
  return out;
}

Result<std::string> promoted_role(std::string_view cib) {
  Result<Doc> doc = parse(cib);
  if (!doc) return std::unexpected(doc.error());
  // "pacemaker-3.7", "pacemaker-next"; anything else (a schema this code does not know,
  // "none") gets the spelling every version reads.
  const std::string schema = attr(xmlDocGetRootElement(doc->get()), "validate-with");
  if (schema == "pacemaker-next") return std::string("Promoted");
  int major = 0, minor = 0;
  const std::string_view v = std::string_view(schema).substr(schema.starts_with("pacemaker-") ? 10 : schema.size());
  const size_t dot = v.find('.');
  if (dot != std::string_view::npos && parse_number(v.substr(0, dot), major) && parse_number(v.substr(dot + 1), minor) &&
      (major > 3 || (major == 3 && minor >= 7)))
    return std::string("Promoted");
  return std::string("Master");
}

Result<std::optional<std::vector<std::string>>> role_allowed_on(std::string_view cib, std::string_view id) {
  Result<Doc> doc = parse(cib);
  if (!doc) return std::unexpected(doc.error());
  for (xmlNode* c : select(doc->get(), "/cib/configuration/constraints/*")) {
    if (attr(c, "id") != id) continue;
    const std::string what = std::string(id) + " is not a Promoted-role ban this handler wrote";
    std::vector<xmlNode*> rules;
    for (xmlNode* r = c->children; r; r = r->next)
      if (r->type == XML_ELEMENT_NODE) rules.push_back(r);
    if (!is(c, "rsc_location") || rules.size() != 1 || !is(rules[0], "rule"))
      return fail(Errc::configuration, what + " (one rule expected)");
    const xmlNode* rule = rules[0];
    const std::string role = attr(rule, "role");
    if ((role != "Promoted" && role != "Master") || attr(rule, "score") != "-INFINITY" ||
        (attr(rule, "boolean-op") != "and" && !attr(rule, "boolean-op").empty()))
      return fail(Errc::configuration, what + " (role Promoted, score -INFINITY, and-ed expressions expected)");
    std::vector<std::string> allowed;
    for (const xmlNode* e = rule->children; e; e = e->next) {
      if (e->type != XML_ELEMENT_NODE) continue;
      if (!is(e, "expression") || attr(e, "attribute") != "#uname" || attr(e, "operation") != "ne")
        return fail(Errc::configuration, what + " (only #uname ne expressions expected)");
      allowed.push_back(attr(e, "value"));
    }
    return std::optional<std::vector<std::string>>(std::move(allowed));
  }
  return std::optional<std::vector<std::string>>();
}

Result<long long> fencing_seconds(std::string_view cib) {
  Result<Doc> doc = parse(cib);
  if (!doc) return std::unexpected(doc.error());
  auto seconds = [](const std::string& text, long long fallback) -> Result<long long> {
    if (text.empty()) return fallback;
    Result<std::chrono::milliseconds> t = parse_duration(text);
    if (!t) return std::unexpected(t.error());
    return (t->count() + 999) / 1000;
  };
  Result<long long> total = seconds(cluster_option(doc->get(), "stonith-timeout"), 60);
  if (!total) return fail(Errc::configuration, "stonith-timeout: " + total.error().message);
  long long delay = 0;
  for (xmlNode* nv : select(doc->get(), "/cib/configuration/resources//primitive[@class='stonith']/"
                                        "instance_attributes/nvpair")) {
    const std::string name = attr(nv, "name");
    if (name != "pcmk_delay_max" && name != "pcmk_delay_base") continue;
    Result<long long> d = seconds(attr(nv, "value"), 0);
    if (!d) return fail(Errc::configuration, name + ": " + d.error().message);
    delay = std::max(delay, *d);
  }
  return *total + delay;
}

std::string ban_role_except(std::string_view id, std::string_view rsc, std::string_view role,
                            const std::vector<std::string>& allowed) {
  const std::string i = xml_escape(id);
  std::string xml = "<rsc_location id=\"" + i + "\" rsc=\"" + xml_escape(rsc) + "\"><rule id=\"" + i +
                    "-rule\" role=\"" + xml_escape(role) + "\" score=\"-INFINITY\" boolean-op=\"and\">";
  for (size_t n = 0; n < allowed.size(); ++n)
    xml += "<expression id=\"" + i + "-expr-" + std::to_string(n) +
           "\" attribute=\"#uname\" operation=\"ne\" value=\"" + xml_escape(allowed[n]) + "\"/>";
  return xml + "</rule></rsc_location>";
}

}  // namespace sft::pcmk
