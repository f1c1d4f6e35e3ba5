// The VS Code client: starts `python3 cli.py lsp` (the project's language server) for policy files
// (.rules) and feature files (.feature). Plain JavaScript, so nothing needs compiling before packaging.
"use strict";

const path = require("path");
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function serverOptions() {
  const config = vscode.workspace.getConfiguration("jinxiangPolicy");
  const folder = vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders[0];
  const cli = config.get("cliPath") || (folder ? path.join(folder.uri.fsPath, "cli.py") : "cli.py");
  const python = config.get("pythonPath") || "python3";
  // The server names files relative to its working directory: run it from the project's root.
  return { command: python, args: [cli, "lsp"], options: { cwd: path.dirname(path.resolve(cli)) } };
}

function start() {
  client = new LanguageClient("jinxiangPolicy", "政策规则语言服务器", serverOptions(), {
    documentSelector: [
      { scheme: "file", language: "jinxiang-policy" },
      { scheme: "file", pattern: "**/*.feature" },
    ],
  });
  return client.start();
}

function activate(context) {
  start();
  context.subscriptions.push(
    vscode.commands.registerCommand("jinxiangPolicy.restart", async () => {
      if (client) {
        await client.stop();
      }
      await start();
    }),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration("jinxiangPolicy")) {
        await vscode.commands.executeCommand("jinxiangPolicy.restart");
      }
    }),
  );
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
