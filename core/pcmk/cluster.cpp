#include "core/pcmk/cluster.h"

#include <corosync/quorum.h>
#include <crm/cib.h>
#include <crm/cluster.h>
#include <crm/common/ipc.h>
#include <crm/common/ipc_controld.h>
#include <crm/common/xml.h>

#include <algorithm>
#include <string>

namespace sft::pcmk {

namespace {

// Seconds for a synchronous CIB call: what the deadline leaves, at least 1.
int seconds_left(const sys::Deadline& d) {
  return static_cast<int>(std::max<long long>(1, d.remaining().count() / 1000));
}

class PacemakerCluster : public Cluster {
 public:
  ~PacemakerCluster() override {
    if (m_cib) {
      if (m_signed_on) m_cib->cmds->signoff(m_cib);
      cib_delete(m_cib);
    }
  }

  Result<bool> quorate() override {
    quorum_handle_t handle = 0;
    uint32_t type = 0;
    quorum_callbacks_t callbacks{};
    if (const cs_error_t rc = quorum_initialize(&handle, &callbacks, &type); rc != CS_OK)
      return fail(Errc::generic, "corosync quorum: cannot connect (error " + std::to_string(rc) + ")");
    int quorate = 0;
    const cs_error_t rc = quorum_getquorate(handle, &quorate);
    quorum_finalize(handle);
    if (rc != CS_OK) return fail(Errc::generic, "corosync quorum: cannot ask (error " + std::to_string(rc) + ")");
    return quorate != 0;
  }

  Result<std::string> local_node() override {
    const char* name = get_local_node_name();
    if (!name || !*name) return fail(Errc::generic, "cannot tell this node's name in the cluster");
    return std::string(name);
  }

  Result<std::string> query(const sys::Deadline& d) override {
    if (Result<void> c = connect(d); !c) return std::unexpected(c.error());
    xmlNode* out = nullptr;
    // Without cib_scope_local the query goes to the primary instance, which only a DC
    // has: this node's copy may not have heard of a membership change yet.
    const int rc = m_cib->cmds->query(m_cib, nullptr, &out, cib_sync_call);
    if (rc != pcmk_ok || !out) return fail(Errc::generic, "CIB query: " + std::string(pcmk_strerror(rc)));
    char* text = dump_xml_unformatted(out);
    std::string xml = text ? text : "";
    free(text);
    free_xml(out);
    return xml;
  }

  Result<bool> create_constraint(const std::string& xml, const sys::Deadline& d) override {
    if (Result<void> c = connect(d); !c) return std::unexpected(c.error());
    xmlNode* node = string2xml(xml.c_str());
    if (!node) return fail(Errc::invalid_argument, "not XML: " + xml);
    // create refuses an id that is there already: the CIB decides who placed first.
    const int rc = m_cib->cmds->create(m_cib, "constraints", node, cib_sync_call);
    free_xml(node);
    if (rc == -EEXIST) return false;
    if (rc != pcmk_ok) return fail(Errc::generic, "CIB update of the constraints: " + std::string(pcmk_strerror(rc)));
    return true;
  }

  Result<bool> controller_answers(const std::string& node, const sys::Deadline& d) override {
    pcmk_ipc_api_t* api = nullptr;
    if (pcmk_new_ipc_api(&api, pcmk_ipc_controld) != pcmk_rc_ok || !api)
      return fail(Errc::generic, "cannot create a controller connection");
    struct Answer {
      bool got = false;
      bool ok = false;
      std::string from;
    } answer;
    pcmk_register_ipc_callback(
        api,
        [](pcmk_ipc_api_t*, enum pcmk_ipc_event type, crm_exit_t status, void* data, void* user) {
          auto* a = static_cast<Answer*>(user);
          auto* reply = static_cast<pcmk_controld_api_reply_t*>(data);
          if (type != pcmk_ipc_event_reply || !reply || reply->reply_type != pcmk_controld_reply_ping) return;
          a->got = true;
          a->ok = status == CRM_EX_OK && reply->data.ping.result && std::string(reply->data.ping.result) == "ok";
          a->from = reply->host_from ? reply->host_from : "";
        },
        &answer);
    Result<bool> out = fail(Errc::generic, "cannot connect to the controller");
    if (pcmk_connect_ipc(api, pcmk_ipc_dispatch_poll) == pcmk_rc_ok) {
      out = fail(Errc::generic, "cannot ping the controller of " + node);
      if (pcmk_controld_api_ping(api, node.c_str()) == pcmk_rc_ok) {
        while (!answer.got && !d.expired()) {
          const int ms = static_cast<int>(std::clamp<long long>(d.remaining().count(), 1, 1000));
          const int rc = pcmk_poll_ipc(api, ms);
          if (rc == pcmk_rc_ok)
            pcmk_dispatch_ipc(api);
          else if (rc != EAGAIN)
            break;  // the connection went away: no answer
        }
        out = answer.got && answer.ok;
      }
      pcmk_disconnect_ipc(api);
    }
    pcmk_free_ipc_api(api);
    return out;
  }

  Result<void> put_constraint(const std::string& xml, const sys::Deadline& d) override {
    if (Result<void> c = connect(d); !c) return std::unexpected(c.error());
    xmlNode* node = string2xml(xml.c_str());
    if (!node) return fail(Errc::invalid_argument, "not XML: " + xml);
    // modify with cib_can_create replaces the element with the same id, or adds it.
    const int rc = m_cib->cmds->modify(m_cib, "constraints", node, cib_sync_call | cib_can_create);
    free_xml(node);
    if (rc != pcmk_ok) return fail(Errc::generic, "CIB update of the constraints: " + std::string(pcmk_strerror(rc)));
    return {};
  }

  Result<void> remove_constraint(const std::string& id, const sys::Deadline& d) override {
    if (Result<void> c = connect(d); !c) return std::unexpected(c.error());
    const std::string xpath = "//constraints/rsc_location[@id='" + id + "']";
    const int rc = m_cib->cmds->remove(m_cib, xpath.c_str(), nullptr, cib_sync_call | cib_xpath);
    if (rc == pcmk_ok || rc == -ENXIO) return {};
    return fail(Errc::generic, "CIB removal of " + id + ": " + std::string(pcmk_strerror(rc)));
  }

 private:
  Result<void> connect(const sys::Deadline& d) {
    if (!m_cib) m_cib = cib_new();
    if (!m_cib) return fail(Errc::generic, "cannot create a CIB connection");
    m_cib->call_timeout = seconds_left(d);
    if (m_signed_on) return {};
    const int rc = m_cib->cmds->signon(m_cib, "sft-fence-peer", cib_command);
    if (rc != pcmk_ok) return fail(Errc::generic, "cannot connect to the CIB: " + std::string(pcmk_strerror(rc)));
    m_signed_on = true;
    return {};
  }

  cib_t* m_cib = nullptr;
  bool m_signed_on = false;
};

}  // namespace

std::unique_ptr<Cluster> connect_cluster() { return std::make_unique<PacemakerCluster>(); }

}  // namespace sft::pcmk
