#!/usr/bin/env bash
# Writes the libFuzzer dictionaries from the repository's fixtures and the engine's field table:
#   cxml.dict     element and attribute names of the cXML fixtures, XML syntax
#   oci.dict      OCI field names (mapping::targets), call-up parameters, FUNCTION values
#   cart.dict     oci.dict plus the structured cart input's separators, flags and attributes
#   profile.dict  the JSON keys and values of the bundled buyer profiles
# Run from anywhere: bash fuzz/dictionaries/build.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# One quoted entry per line; bytes outside printable ASCII as \xNN (libFuzzer's syntax).
quote() {
  LC_ALL=C perl -ne 'chomp; s/\\/\\\\/g; s/"/\\"/g; s/([^\x20-\x7e])/sprintf("\\x%02x", ord($1))/ge; print "\"$_\"\n"'
}

{
  echo "# cXML: element and attribute names of tests/fixtures and host-example/samples (build.sh)"
  cat "$root"/tests/fixtures/cxml-setup*/*.xml "$root"/host-example/samples/*.xml \
    | grep -o '<[A-Za-z][A-Za-z0-9:]*' | sed 's/^<//' | sort -u \
    | while read -r name; do printf '<%s\n</%s>\n' "$name" "$name"; done | quote
  cat "$root"/tests/fixtures/cxml-setup*/*.xml "$root"/host-example/samples/*.xml \
    | grep -o ' [A-Za-z][A-Za-z:]*="' | sed 's/^ //' | sort -u | quote
  printf '%s\n' '<?xml version="1.0" encoding="UTF-8"?>' 'encoding="ISO-8859-1"' 'encoding="UTF-16"' \
    '<!DOCTYPE cXML SYSTEM "http://xml.cxml.org/schemas/cXML/1.2.069/cXML.dtd">' '<!DOCTYPE' \
    '<!ENTITY' '<![CDATA[' ']]>' '<!--' '-->' '<?' '?>' '&amp;' '&lt;' '&#x' '&#' 'SYSTEM' \
    'xmlns:' 'payloadID="' 'operation="edit"' 'operation="inspect"' 'domain="NetworkID"' \
    'AN01000000001' 's3cr3t' | quote
} > "$here/cxml.dict"

oci_fields="$(grep -o '"NEW_ITEM-[A-Z_]*"' "$root/plugin/src/mapping/targets.rs" | tr -d '"' | sort -u)"
oci_words() {
  echo "$oci_fields"
  echo "$oci_fields" | grep -v -x 'NEW_ITEM-' | sed 's/$/[1]/'
  printf '%s\n' 'NEW_ITEM-LONGTEXT_1:132[]' 'NEW_ITEM-ZZ_' '[1]' '[2]' '[0]' '[01]' ':132[]' \
    'USERNAME=' 'PASSWORD=' 'HOOK_URL=' '~OkCode' '~TARGET' '~CALLER' 'returntarget' \
    'http_content_charset' 'iso-8859-1' 'utf-8' 'OCI_VERSION' 'OPI_VERSION' 'FUNCTION=' \
    'DETAIL' 'VALIDATE' 'SOURCING' 'BACKGROUND_SEARCH' 'DETAILADD' 'QUANTITYCHECK' 'PRODUCTID' \
    'SEARCHSTRING' 'EXT_PRODUCT_ID' 'QUANTITY' 'VENDOR' '_top' '_parent' '_self' '_blank' \
    'SRM_ACME' 'oci-p4ss' 'sap-client=100' 'https%3A%2F%2Fsrm.example.com%2Fsap%2Fbc%2Fbsp%2Fsap%2Fbbp_catalog%2F' \
    '%5B' '%5D' '%3A' '%26' '%3D' '%25' '%C3%A9' '%E9' '%80' '%00' '+' '&' '=' \
    'submit' 'action' 'method' 'target' 'onclick' 'name' 'elements' 'reset'
}
{
  echo "# OCI: field names of plugin/src/mapping/targets.rs, call-up parameters, FUNCTION values (build.sh)"
  oci_words | quote
} > "$here/oci.dict"

{
  echo "# the structured cart input (fuzz/src/cart_case.rs): separators, flags, OCI names, attributes (build.sh)"
  printf '"\\x1e"\n"\\x1f"\n"\\x01"\n"\\x7f"\n"\\xc2\\x85"\n'
  printf '%s\n' u 5 b i EUR USD CHF EA PCE PK KGM 0 1 -1 -0 0.001 12345678901.123 1e3 \
    79228162514264337593543950335 0.0000000000000000000000000001 classification short-name \
    manufacturer-part-id manufacturer-name image-url lead-time '"><script>' '</textarea>' \
    "'" '&' 'Łódź' '漢字' '€' '“' 'ő' | quote
  echo "$oci_fields" | grep -v -x 'NEW_ITEM-' | sed 's/^NEW_ITEM-//' | tr 'A-Z' 'a-z' | sed 's/$/=/' | quote
  oci_words | quote
} > "$here/cart.dict"

{
  echo "# buyer profiles: JSON keys and values of host-example/samples/profiles (build.sh)"
  cat "$root"/host-example/samples/profiles/*.json "$root"/host-example/samples/*profile*.json \
    | grep -o '"[^"]*"' | sort -u | quote
  printf '%s\n' '{' '}' '[' ']' ':' ',' 'null' 'true' 'false' '"extends"' '"pad"' '"replace"' | quote
} > "$here/profile.dict"
wc -l "$here"/*.dict
