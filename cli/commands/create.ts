// `k8ts create`: the definition; the action is kubectl/create.ts, the objects of the generators
// (deployment, configmap, secret generic, namespace) come from generators/.

import { type KubeObject, resourceForKind } from "../../api/index.js";
import { type Command, UsageError } from "../command.js";
import { runReporting } from "../errors.js";
import { configMap, deployment, genericSecret, namespaceObject } from "../generators/index.js";
import { connect } from "../kube.js";
import { create, createObject } from "../kubectl/create.js";
import { readManifests } from "../manifests.js";
import { writtenOutput } from "../printers/written.js";
import { DRY_RUN_USAGE, dryRunFlag, parseVerb, wholeNumber } from "../verb-flags.js";

const OPTIONS = {
  filename: { type: "string", short: "f", multiple: true },
  "save-config": { type: "boolean" },
  "dry-run": { type: "string" },
  output: { type: "string", short: "o" },
  image: { type: "string", multiple: true },
  replicas: { type: "string", short: "r" },
  port: { type: "string" },
  "from-literal": { type: "string", multiple: true },
  "from-file": { type: "string", multiple: true },
  type: { type: "string" },
} as const;

export const command: Command = {
  summary: "create objects from files, or a deployment, configmap, secret or namespace by name",
  usage: `Usage: k8ts create -f FILE|DIR|- [flags]
       k8ts create deployment NAME --image=IMAGE [--image=...] [--replicas=N] [--port=P] [-- COMMAND...]
       k8ts create configmap NAME [--from-literal=KEY=VALUE] [--from-file=[KEY=]PATH]
       k8ts create secret generic NAME [--from-literal=KEY=VALUE] [--from-file=[KEY=]PATH] [--type=T]
       k8ts create namespace NAME

The generators build the object kubectl 1.32 builds for the same command (labels app=NAME, container
names from the images, replicas 1 unless given). An existing object is an error (see apply).

Flags:
  -f, --filename FILE|DIR|-   the manifests (repeatable)
      --save-config           record the last-applied annotation, so apply can take over later
  -o, --output yaml|json|name print the created object (or, with --dry-run=client, the one that
                              would be sent) instead of "TYPE/NAME created"
${DRY_RUN_USAGE}
      --image IMAGE           deployment: a container per image (repeatable)
  -r, --replicas N            deployment: how many pods (default 1)
      --port P                deployment: the first container's containerPort
      --from-literal K=V      configmap/secret: a key and its value (repeatable)
      --from-file [K=]PATH    configmap/secret: a file's content under its name (or K); a
                              directory adds each of its files (repeatable)
      --type T                secret: the type (default Opaque, set by the server)
  -n, --namespace NS  --context CTX  --kubeconfig FILE`,
  run(argv) {
    const { flags, args, rest } = parseVerb(argv, OPTIONS);
    const dryRun = dryRunFlag(flags["dry-run"]);
    if (args.length === 0) {
      return runReporting(async () => {
        const output = writtenOutput(flags.output);
        const manifests = await readManifests(flags.filename ?? []);
        return create(connect(flags), manifests, {
          saveConfig: flags["save-config"] ?? false,
          dryRun,
          output,
        });
      });
    }
    const [what, ...names] = args[0] === "secret" ? [`secret ${args[1] ?? ""}`, ...args.slice(2)] : args;
    const name = names[0];
    if (names.length !== 1 || !name)
      throw new UsageError(`exactly one NAME is required, got ${names.length}`);
    // As kubectl's generators: the namespace goes into the object only when -n was given.
    const ns = flags.namespace;
    const sources = { literals: flags["from-literal"] ?? [], files: flags["from-file"] ?? [] };
    return runReporting(async () => {
      const output = writtenOutput(flags.output);
      let object: KubeObject;
      switch (what) {
        case "deployment":
        case "deploy":
          object = deployment(name, ns, {
            images: flags.image ?? [],
            replicas: wholeNumber("replicas", flags.replicas, 1),
            port: flags.port === undefined ? undefined : wholeNumber("port", flags.port, 0),
            command: rest,
          });
          break;
        case "configmap":
        case "cm":
          object = configMap(name, ns, sources);
          break;
        case "secret generic":
          object = genericSecret(name, ns, sources, flags.type);
          break;
        case "namespace":
        case "ns":
          object = namespaceObject(name);
          break;
        default:
          throw new UsageError(
            `k8ts create makes a deployment, configmap, secret generic or namespace by name (got "${what}"), or anything from -f FILE`,
          );
      }
      const resource = resourceForKind(object.apiVersion ?? "", object.kind ?? "")!;
      await createObject(connect(flags), resource, object, dryRun, output, 0, true);
      return 0;
    });
  },
};
