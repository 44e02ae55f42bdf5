// label and annotate share their definition: only the metadata map they edit differs.

import type { Command } from "../command.js";
import { runReporting } from "../errors.js";
import { connect } from "../kube.js";
import { dryRunFlag, parseVerb } from "../verb-flags.js";
import { editMetadata, type MetadataField, metadataCommandUsage, splitArgs } from "./metadata-edit.js";

const OPTIONS = {
  overwrite: { type: "boolean" },
  selector: { type: "string", short: "l" },
  all: { type: "boolean" },
  "dry-run": { type: "string" },
} as const;

export function metadataCommand(field: MetadataField): Command {
  const verb = field === "labels" ? "label" : "annotate";
  return {
    summary: `set or remove ${field} of objects`,
    usage: metadataCommandUsage(verb, field),
    run(argv) {
      const { flags, args } = parseVerb(argv, OPTIONS);
      const { objects, changes } = splitArgs(args);
      const dryRun = dryRunFlag(flags["dry-run"]);
      return runReporting(() =>
        editMetadata(connect(flags), objects, {
          field,
          changes,
          overwrite: flags.overwrite ?? false,
          labelSelector: flags.selector,
          all: flags.all ?? false,
          dryRun,
        }),
      );
    },
  };
}
