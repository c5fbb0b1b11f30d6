import { http } from './http.ts'

export type DepartmentStatus = 'active' | 'retired'

/** A 联审部门 (joint-review department) whose reviewers check candidates. */
export interface Department {
  id: string
  name: string
  sort: number
  status: DepartmentStatus
  version: number
}

export interface DepartmentPatch {
  version: number
  name?: string
  sort?: number
  status?: DepartmentStatus
}

const base = '/api/departments'

export const DepartmentAPI = {
  list: () => http.get<Department[]>(base),
  create: (body: { name: string; sort?: number }) => http.post<Department>(base, body),
  update: (id: string, body: DepartmentPatch) => http.patch<Department>(`${base}/${encodeURIComponent(id)}`, body),
}
