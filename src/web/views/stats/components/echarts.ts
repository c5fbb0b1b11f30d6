// Registers, once, the ECharts parts the 换届统计 charts use (bars, grid, legend, tooltip, the
// target line) and hands back vue-echarts' component; pages only compute options.
import { use } from 'echarts/core'
import { BarChart } from 'echarts/charts'
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components'
import { CanvasRenderer } from 'echarts/renderers'
import VChart from 'vue-echarts'

use([BarChart, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, CanvasRenderer])

export default VChart

/** The two series every comparison chart draws: the new teams and the teams they replace. */
export const seriesColors = { elected: '#c0392b', incumbent: '#b1b3b8' }
