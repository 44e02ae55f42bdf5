// Re-captures the golden protobuf bodies from the real kubectl 1.32:
//   npx tsc -p tsconfig.json && node dist/apiserver/protobuf/testdata/regenerate.js
// Writes apiserver/protobuf/testdata/<name>.pb, one per entry of CAPTURES.
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { CAPTURES, captureKubectl, kubectlBinary } from "../kubectl-capture.js";

const dir = fileURLToPath(new URL("../../../../apiserver/protobuf/testdata/", import.meta.url));
const kubectl = kubectlBinary("1.32");
for (const [name, args] of Object.entries(CAPTURES)) {
  const { result, requests } = await captureKubectl(kubectl, args);
  if (result.code !== 0 || requests.length !== 1) {
    console.error(
      `${name}: kubectl exit ${result.code}, ${requests.length} writes; kubectl said: ${result.stderr}`,
    );
    process.exitCode = 1;
    continue;
  }
  writeFileSync(`${dir}${name}.pb`, requests[0].body);
  console.log(`${name}.pb  ${requests[0].url}  ${requests[0].body.length} bytes`);
}
