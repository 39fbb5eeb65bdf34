// Validates Kubernetes objects against the schemas of the Kubernetes API (kubernetes-models ships
// validators compiled from the OpenAPI document: types, required fields, enums, formats).
// Input: a JSON array of objects, in the file named by the first argument. Prints one line per
// object; exits 1 if any is invalid or of a kind it has no schema for.
import { readFileSync } from "node:fs";

const objects = JSON.parse(readFileSync(process.argv[2], "utf8"));
let failed = false;
for (const object of objects) {
  if (object.kind === "Secret" && object.data) {
    // kustomize wraps long base64 values at 70 columns; the API server's decoder ignores the line
    // breaks, the schema's "byte" format does not
    for (const key of Object.keys(object.data)) {
      object.data[key] = object.data[key].replace(/\s+/g, "");
    }
  }
  const [group, version] = object.apiVersion.includes("/") ? object.apiVersion.split("/") : [null, object.apiVersion];
  const module = group ? `kubernetes-models/${group}/${version}/${object.kind}` : `kubernetes-models/${version}/${object.kind}`;
  const name = `${object.kind}/${object.metadata?.name}`;
  let Model;
  try {
    Model = (await import(module))[object.kind];
  } catch (error) {
    console.log(`NO SCHEMA ${name}: ${module} (${error.message})`);
    failed = true;
    continue;
  }
  try {
    new Model(object).validate();
    console.log(`VALID ${name} (${object.apiVersion})`);
  } catch (error) {
    console.log(`INVALID ${name}: ${error.message}`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
