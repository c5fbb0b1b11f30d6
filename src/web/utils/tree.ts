/** A flat row with the rows under it; el-tree and el-tree-select read `children`. */
export type Nested<T> = T & { children: Nested<T>[] }

/** Nests a flat list (kept in its order) by parent code; a row whose parent is absent is a root. */
export function nestByParent<T extends { code: string; parentCode: string | null }>(rows: T[]): Nested<T>[] {
  const byCode = new Map<string, Nested<T>>()
  for (const row of rows) byCode.set(row.code, { ...row, children: [] })
  const roots: Nested<T>[] = []
  for (const node of byCode.values()) {
    const parent = node.parentCode ? byCode.get(node.parentCode) : undefined
    if (parent) parent.children.push(node)
    else roots.push(node)
  }
  return roots
}
