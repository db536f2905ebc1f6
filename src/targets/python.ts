import { snake } from "../spec.js";
import { jsonLiteral, type Target } from "../target.js";

export const python: Target = {
  lang: "python",
  naming: { field: snake },
  helpers: { str: jsonLiteral },
  files: [
    { template: "fgruntime.py.hbs", path: "fgruntime.py", owner: "generated" },
    { template: "bootstrap.hbs", path: "bootstrap", owner: "generated", executable: true },
    { template: "handler.py.hbs", path: "handler.py", owner: "user" },
    { template: "Makefile.hbs", path: "Makefile", owner: "generated" },
    { template: "README.md.hbs", path: "README.md", owner: "generated" },
  ],
};
