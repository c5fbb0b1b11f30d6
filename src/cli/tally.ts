/**
 * `huanjie tally FILE|-`: the counting engine's stable public face (shared/docs/tally-format.md).
 * Kept apart from the other commands so a recount loads only the engine, never the server.
 */
import { readFile } from 'node:fs/promises'
import { postLabels, tally, TallyInputError, type TallyResult } from '../rules/tally/index.ts'
import type { Command } from './command.ts'

export const tallyCommand: Command = {
  name: 'tally',
  args: 'FILE|-',
  summary: '按计票规则计算一轮选举的结果（输入输出为 docs 中 tally-format 的 JSON；- 表示从标准输入读）',
  details: '退出码：0 已算出结果（选举无效也是结果）；2 输入格式有误，标准错误输出指出字段。--text 输出中文说明而不是 JSON。',
  options: { text: { type: 'boolean', description: '输出中文计票说明' } },
  async run(p, values) {
    const file = p[0]
    if (!file) {
      console.error('请指定输入文件，或用 - 从标准输入读取，如 huanjie tally round.json')
      return 2
    }
    let raw: unknown
    try {
      const textIn = file === '-' ? await readStdin() : await readFile(file, 'utf8')
      raw = JSON.parse(textIn.replace(/^\uFEFF/, ''))
    } catch (err) {
      console.error(`无法读取输入：${(err as Error).message}`)
      return 2
    }
    let result: TallyResult
    try {
      result = tally(raw)
    } catch (err) {
      if (!(err instanceof TallyInputError)) throw err
      console.error(`输入有误（字段 ${err.field || '（整体）'}）：${err.message}`)
      return 2
    }
    console.log(values.text ? tallyText(result) : JSON.stringify(result, null, 2))
    return 0
  },
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

function tallyText(r: TallyResult): string {
  const lines = [...r.explanation, '']
  for (const x of r.results) lines.push(`${postLabels[x.post]} ${x.name}${x.candidateId ? '' : '（另选人）'}：赞成 ${x.approve}，不赞成 ${x.disapprove}，弃权 ${x.abstain}${x.elected ? '  【当选】' : ''}\n  ${x.explanation}`)
  lines.push('', `下一步：${{ none: '无', revote: '就得票相等者重新投票', supplementary: '另行选举', rerun: '重新选举' }[r.next]}`)
  return lines.join('\n')
}
