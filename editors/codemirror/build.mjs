// Bundles entry.js with the versions pinned in package-lock.json into one ES module, and writes the
// licences of every package that went into it beside it. Deterministic: the same lock file gives the
// same bytes (tests/test_workbench_vendor.py checks the committed files name the locked versions).
import {build} from "esbuild";
import {readFileSync, readdirSync, writeFileSync} from "node:fs";
import {join} from "node:path";

const OUT = "../../engine/workbench/static/vendor/codemirror.js";
const LICENCES = "../../engine/workbench/static/vendor/codemirror.LICENSE.txt";

const result = await build({
  entryPoints: ["entry.js"], bundle: true, format: "esm", target: "es2020", minify: true, charset: "utf8",
  legalComments: "none", metafile: true, outfile: OUT,
  banner: {js: "// CodeMirror 6 (MIT), bundled by editors/codemirror/build.sh; licences in codemirror.LICENSE.txt"},
});

const packages = new Set();
for (const input of Object.keys(result.metafile.inputs)) {
  const match = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//);
  if (match) packages.add(match[1]);
}
const sections = [...packages].sort().map((name) => {
  const folder = join("node_modules", name);
  const {version, license} = JSON.parse(readFileSync(join(folder, "package.json"), "utf8"));
  const file = readdirSync(folder).find((entry) => /^licen[cs]e/i.test(entry));
  if (!file) throw new Error(`${name} ships no licence file`);
  return `${name} ${version} (${license})\n\n${readFileSync(join(folder, file), "utf8").trim()}\n`;
});
writeFileSync(LICENCES, "Licences of the packages bundled into codemirror.js\n\n" + sections.join("\n" + "-".repeat(72) + "\n\n"));
