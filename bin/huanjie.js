#!/usr/bin/env node
// The CLI and the server run from TypeScript sources through tsx's loader: no server build step
// to forget, and the same files the tests run.
import { register } from 'tsx/esm/api'

register()
await import('../src/cli/main.ts')
