#pragma once
// Reading XML documents in tests (meta-data of OCF and fence agents) with libxml2:
// parse without the network or the DOCTYPE's DTD, validate against a RelaxNG schema
// (libxml2's errors as text), and evaluate XPath expressions to strings.

#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/xpath.h>

#include <cstdarg>
#include <cstdio>
#include <memory>
#include <string>

namespace sft::fakes {

struct DocFree {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};
using Doc = std::unique_ptr<xmlDoc, DocFree>;

// Parses without the network and without loading the DTD the DOCTYPE names; null
// when the text is not well-formed.
inline Doc parse_xml(const std::string& xml) {
  return Doc(xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "metadata.xml", nullptr,
                           XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING));
}

// Every error libxml2 reports while validating, one per line.
inline void collect_xml_errors(void* into, const char* format, ...) {
  char line[1024];
  va_list args;
  va_start(args, format);
  std::vsnprintf(line, sizeof line, format, args);
  va_end(args);
  *static_cast<std::string*>(into) += line;
}

// "" when `doc` is valid against the RelaxNG schema at `rng`, else libxml2's errors.
inline std::string relaxng_errors(xmlDoc* doc, const char* rng) {
  std::string errors;
  xmlRelaxNGParserCtxtPtr pcx = xmlRelaxNGNewParserCtxt(rng);
  xmlRelaxNGSetParserErrors(pcx, collect_xml_errors, collect_xml_errors, &errors);
  xmlRelaxNGPtr schema = xmlRelaxNGParse(pcx);
  xmlRelaxNGFreeParserCtxt(pcx);
  if (schema == nullptr) return "cannot load the schema " + std::string(rng) + ": " + errors;
  xmlRelaxNGValidCtxtPtr vcx = xmlRelaxNGNewValidCtxt(schema);
  xmlRelaxNGSetValidErrors(vcx, collect_xml_errors, collect_xml_errors, &errors);
  const int rc = xmlRelaxNGValidateDoc(vcx, doc);
  xmlRelaxNGFreeValidCtxt(vcx);
  xmlRelaxNGFree(schema);
  return rc == 0 ? "" : "invalid (" + std::to_string(rc) + "): " + errors;
}

// The string value of an XPath expression ("count(...)", "string(...)"); "" when it
// does not evaluate.
inline std::string xpath(xmlDoc* doc, const std::string& expr) {
  xmlXPathContextPtr cx = xmlXPathNewContext(doc);
  xmlXPathObjectPtr r = xmlXPathEvalExpression(reinterpret_cast<const xmlChar*>(expr.c_str()), cx);
  std::string out;
  if (r != nullptr) {
    xmlChar* s = xmlXPathCastToString(r);
    out = reinterpret_cast<const char*>(s);
    xmlFree(s);
  }
  xmlXPathFreeObject(r);
  xmlXPathFreeContext(cx);
  return out;
}

}  // namespace sft::fakes
