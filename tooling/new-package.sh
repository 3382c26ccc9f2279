#!/bin/bash
# usage: mkpkg.sh name "description" deps-json devdeps-json
set -e
name=$1; desc=$2; deps=${3:-{\}}; dev=${4:-{\}}
d=packages/$name
mkdir -p $d/src $d/test
node -e '
const [name, desc, deps, dev] = process.argv.slice(1);
const pkg = {
  name: `@qkv/${name}`, version: "0.1.0", description: desc, license: "MIT", type: "module",
  sideEffects: false,
  exports: { ".": { "@qkv/source": "./src/index.ts", types: "./dist/index.d.ts", default: "./dist/index.js" }, "./package.json": "./package.json" },
  main: "./dist/index.js", types: "./dist/index.d.ts",
  files: ["dist", "README.md"],
  scripts: { build: "tsup", typecheck: "tsc -p tsconfig.json", lint: "eslint .", test: "vitest run", publint: "publint" },
  dependencies: JSON.parse(deps),
  devDependencies: Object.assign({ "@qkv/eslint-config": "workspace:*", "@qkv/tsconfig": "workspace:*", "@qkv/tsup-config": "workspace:*", "@qkv/vitest-config": "workspace:*", "@types/node": "catalog:", eslint: "catalog:", publint: "catalog:", tsup: "catalog:", typescript: "catalog:", vitest: "catalog:" }, JSON.parse(dev)),
  engines: { node: ">=20.19" },
  // the published exports: the same without the workspace-only @qkv/source condition (pnpm pack swaps them in)
  publishConfig: { access: "public", exports: { ".": { types: "./dist/index.d.ts", default: "./dist/index.js" }, "./package.json": "./package.json" } },
};
require("fs").writeFileSync(`packages/${name}/package.json`, JSON.stringify(pkg, null, 2) + "\n");
' "$name" "$desc" "$deps" "$dev"
cat > $d/tsconfig.json <<'X'
{
  "extends": "@qkv/tsconfig/base.json",
  "include": ["src", "test", "*.config.ts"]
}
X
cat > $d/tsup.config.ts <<'X'
import { qkvTsup } from '@qkv/tsup-config';

export default qkvTsup({ entry: { index: 'src/index.ts' } });
X
cat > $d/vitest.config.ts <<'X'
import { qkvVitest } from '@qkv/vitest-config';

export default qkvVitest();
X
cat > $d/eslint.config.js <<X
import { qkvEslint } from '@qkv/eslint-config';

export default qkvEslint('$name', import.meta.dirname);
X
