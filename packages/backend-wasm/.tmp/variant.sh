#!/bin/bash
# usage: variant.sh name KC MC NC
set -e
d=.tmp/v-$1; rm -rf $d; cp -r assembly $d
sed -i "s/export const KC: i32 = .*/export const KC: i32 = $2;/; s/export const MC: i32 = .*/export const MC: i32 = $3;/; s/export const NC: i32 = .*/export const NC: i32 = $4;/" $d/matmul.ts
npx asc $d/index.ts --runtime stub --importMemory -O3 --noAssert --enable simd -o .tmp/$1.wasm 2>&1 | grep -v nodedir || true
