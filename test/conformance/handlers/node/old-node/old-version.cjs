// Preloaded by ./node: from here on, this process says it is Node.js 18.
"use strict";
Object.defineProperty(process, "version", { value: "v18.20.4" });
Object.defineProperty(process, "versions", { value: { ...process.versions, node: "18.20.4" } });
