/**
 * Composition targets (班子结构, rules.md "Decisions" 16–18): the rule set, the three checks
 * (incumbent teams, planned slate, elected teams) and the statistics and paragraph the seed reports.
 * Pure, over plain data; the server feeds it rows and the SQL aggregates are tested against it.
 */
export * from './types.ts'
export { defaultCompositionRules, mergeCompositionRules, CompositionRulesError, ruleLabels, ruleKeys, ruleBasis, parameterLabels } from './rules.ts'
export { checkTeams, checkSlate, partySizeLevel, committeeName } from './check.ts'
export { summarize, addFigures, emptyFigures, averageAge, percent, crossFacts, ageBand, ageBandLabels, educationLevelOrder, type Holding } from './figures.ts'
export { resultsParagraph, dateSpan, areaWord, type ParagraphInput, type KindCount, type TargetLine, type StatsBody } from './paragraph.ts'
