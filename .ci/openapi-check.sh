#!/usr/bin/env bash
# Checks the API description against the OpenAPI 3.1 schema with
# @seriousme/openapi-schema-validator (run with node): the schema, and every
# $ref resolving. Fails when a document is not valid OpenAPI 3.1.
#
#   bash .ci/openapi-check.sh             api/openapi.json, and the document as
#                                         served (with api/openapi.d merged in)
#   bash .ci/openapi-check.sh FILE...     those files
#
# node and npm come from Debian's packages when missing; the validator is
# installed into a temporary folder, removed at the end, never into the repo.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin"

validator="@seriousme/openapi-schema-validator@2.11.0"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "installing nodejs and npm"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ $# -gt 0 ]; then
  docs=("$@")
else
  go run ./.ci/openapi-doc >"$work/openapi-as-served.json"
  docs=(api/openapi.json "$work/openapi-as-served.json")
fi

npm install --prefix "$work" --no-save --no-package-lock --no-audit --no-fund --loglevel=error "$validator" >/dev/null

cat >"$work/check.mjs" <<'JS'
import { Validator } from "@seriousme/openapi-schema-validator";

let failed = false;
for (const file of process.argv.slice(2)) {
  const validator = new Validator();
  const result = await validator.validate(file);
  if (result.valid && validator.version === "3.1") {
    console.log(`${file}: valid OpenAPI ${validator.specificationVersion}`);
    continue;
  }
  failed = true;
  const found = validator.version ? ` (found OpenAPI ${validator.specificationVersion})` : "";
  console.error(`${file}: not a valid OpenAPI 3.1 document${found}`);
  if (result.errors) console.error(JSON.stringify(result.errors, null, 2).slice(0, 20000));
}
process.exit(failed ? 1 : 0);
JS

# check.mjs finds the validator beside itself, in the temporary folder.
node "$work/check.mjs" "${docs[@]}"
