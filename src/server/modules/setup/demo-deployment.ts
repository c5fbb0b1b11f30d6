import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Ctx } from '../../http/context.ts'
import { formDocx } from '../../files/form-doc.ts'
import { pickCampaign } from '../campaign/service.ts'
import { createDocument, signReceipt } from '../deployment/documents.ts'
import { createMeeting, type MeetingInput } from '../deployment/meetings.ts'
import { createQa, type QaInput } from '../deployment/qa.ts'
import type { DocumentKind } from '../deployment/table.ts'
import { DEMO_COUNTY, DEMO_COUNTY_CODE, DEMO_TOWNSHIP } from './demo.ts'
import { demoCtx } from './demo-review.ts'

const unit = (n: string) => `150999100${n}`
const VCL = '《中华人民共和国村民委员会组织法》（2018年修正）'
const PARTY = '《中国共产党基层组织选举工作条例》（2020年）'
const IM = '《内蒙古自治区实施〈中华人民共和国村民委员会组织法〉办法》'

/**
 * The county's 百问百答: written for this demo from the rules the system follows (docs/rules.md),
 * in plain words, each with its legal basis. Article numbers of the villagers' committee law are
 * those of the 2018 text; the 2025 amendment (in force 2026-01-01) renumbered it, which the
 * county checks against the text it issues.
 */
export const demoQa: QaInput[] = [
  // 选民登记
  { category: '选民登记', question: '哪些村民可以登记参加村民委员会选举？', answer: '年满十八周岁的村民，不分民族、种族、性别、职业、家庭出身、宗教信仰、教育程度、财产状况、居住期限，都有选举权和被选举权；依照法律被剥夺政治权利的人除外。', basis: `${VCL}第十三条` },
  { category: '选民登记', question: '户籍在本村、人在外地居住的村民，能参加本村选举吗？', answer: '能。户籍在本村、不在本村居住的村民，本人表示参加选举的，经村民选举委员会登记后，可以参加本村选举。', basis: `${VCL}第十三条` },
  { category: '选民登记', question: '户籍不在本村的人，能在本村登记参加选举吗？', answer: '在本村居住一年以上、户籍不在本村的公民，本人申请参加选举，并经村民会议或者村民代表会议同意的，可以在本村登记参加选举。', basis: `${VCL}第十三条` },
  { category: '选民登记', question: '一个人能在两个村同时登记参加选举吗？', answer: '不能。已在户籍所在村或者居住村登记参加选举的村民，不得再参加其他地方村民委员会的选举。', basis: `${VCL}第十三条` },
  { category: '选民登记', question: '选民年满十八周岁按哪一天计算？', answer: '按选举日计算：到选举日当天年满十八周岁的，可以登记。出生日期以居民身份证为准，没有身份证的以户口簿为准。', basis: '各省村民委员会选举办法（如《北京市村民委员会选举办法》）' },
  { category: '选民登记', question: '选民登记后，选民名单最晚什么时候公布？', answer: '登记参加选举的村民名单，应当在选举日的二十日以前由村民选举委员会公布。例如选举日是12月26日，名单最晚在12月6日公布。换届时间表按这一时限检查“公布选民名单”节点。', basis: `${VCL}第十四条` },
  { category: '选民登记', question: '对公布的选民名单有异议怎么办？', answer: '对登记参加选举的村民名单有异议的，应当自名单公布之日起五日内向村民选举委员会申诉；村民选举委员会应当自收到申诉之日起三日内作出处理决定，并公布处理结果。', basis: `${VCL}第十四条` },
  // 选举组织
  { category: '选举组织', question: '村民选举委员会怎样产生？', answer: '村民选举委员会由主任和委员组成，由村民会议、村民代表会议或者各村民小组会议推选产生，主持村民委员会的选举。', basis: `${VCL}第十二条` },
  { category: '选举组织', question: '村民选举委员会成员被提名为候选人怎么办？', answer: '村民选举委员会成员被提名为村民委员会成员候选人的，应当退出村民选举委员会。出现缺额的，按照原推选结果依次递补，也可以另行推选。', basis: `${VCL}第十二条` },
  { category: '选举组织', question: '候选人的近亲属能担任监票人、计票人吗？', answer: '不能。候选人及其近亲属不得担任监票人、唱票人、计票人，也不得参与组织投票工作，以保证选举公正。', basis: `各省村民委员会选举办法；${IM}` },
  // 候选人
  { category: '候选人', question: '村民委员会成员候选人怎样产生？', answer: '由登记参加选举的村民直接提名候选人，候选人名额应当多于应选名额。村民委员会成员由村民直接选举产生，任何组织或者个人不得指定、委派或者撤换。', basis: `${VCL}第十一条、第十五条` },
  { category: '候选人', question: '提名候选人应当推荐什么样的人？', answer: '应当从全体村民利益出发，推荐奉公守法、品行良好、公道正派、热心公益、具有一定文化水平和工作能力的村民为候选人；候选人中应当有适当的妇女名额。', basis: `${VCL}第十五条` },
  { category: '候选人', question: '哪些人不宜确定为候选人？', answer: '对照本县确定的负面清单逐项把关，主要包括：受过刑事处罚或有“村霸”、涉黑涉恶问题的；党纪政务处分影响期未满的；参与邪教、非法宗教活动的；拉票贿选、操纵破坏选举的；组织煽动群体性事件或非正常上访的；侵占集体资产未退赔的；被列为失信被执行人的等。具体以县级文件公布的情形为准。', basis: '本县换届工作方案确定的负面清单' },
  { category: '候选人', question: '什么是候选人资格联审？', answer: '村级对人选材料自查，乡镇初审后报县，由县委组织部、民政局牵头，纪委监委、政法委、公安、法院、检察院、信访等部门对照负面清单逐人审查，形成联审台账反馈乡镇；经村内公示无异议后，方可确定为正式候选人。未经联审的不得确定为候选人。', basis: '本县村（社区）“两委”换届人选资格联审办法' },
  { category: '候选人', question: '正式候选人名单在选举日前几天公布？', answer: '多数省份规定在选举日的五日以前公布正式候选人名单（如浙江、北京），也有规定七日或三日的，以本省选举办法为准。本系统默认按选举日前五日检查。', basis: '各省村民委员会选举办法' },
  { category: '候选人', question: '内蒙古的“自荐直选”（无候选人选举）怎么进行？', answer: '有意参选的村民在选举日十日以前向村民选举委员会书面提出参选申请，经资格审查后，由村民选举委员会在选举日五日以前公布参选人名单，选举时选民在选票上直接填写。', basis: IM },
  { category: '候选人', question: '候选人可以向村民介绍自己吗？', answer: '可以。村民选举委员会应当组织候选人与村民见面，由候选人介绍履职设想，回答村民提出的问题。但不得以请客送礼、许诺好处等方式拉票。', basis: `${VCL}第十五条` },
  // 投票选举
  { category: '投票选举', question: '村民委员会选举有效需要多少人投票？', answer: '选举村民委员会，有登记参加选举的村民过半数投票，选举有效。例如登记选民860人，至少431人投票选举才有效。', basis: `${VCL}第十五条` },
  { category: '投票选举', question: '候选人得多少票才能当选？', answer: '候选人获得参加投票的村民过半数的选票，始得当选。参加投票的村民包括投了废票的人。', basis: `${VCL}第十五条` },
  { category: '投票选举', question: '投票和计票应当遵守哪些程序？', answer: '选举实行无记名投票、公开计票的方法，设立秘密写票处；选举结果应当当场公布。', basis: `${VCL}第十五条` },
  { category: '投票选举', question: '收回的选票比发出的多，选举还有效吗？', answer: '无效。每次选举收回的选票等于或者少于发出选票的，选举有效；多于发出选票的，选举无效，应当重新投票。', basis: '各省村民委员会选举办法' },
  { category: '投票选举', question: '哪些选票是无效票？', answer: '一张选票上选的人数多于应选名额的，该票无效；同一人在一张选票上被选为两个以上职务的，该票无效（如浙江）；无法辨认选民意思的，该票无效。无效票计入参加投票人数。', basis: '各省村民委员会选举办法' },
  { category: '投票选举', question: '什么是差额选举？村民委员会选举差额多少？', answer: '差额选举就是候选人多于应选人数。法律要求村民委员会成员候选人名额多于应选名额，具体差额由各省规定：如上海主任、副主任各多一人，委员多一至三人；北京各职务多一至二人。', basis: `${VCL}第十五条；各省村民委员会选举办法` },
  { category: '投票选举', question: '当选人数不足应选名额怎么办？', answer: '不足的名额另行选举。另行选举可以在当日或者不定期进行，以得票多的当选，但所得票数不得少于已投选票数的三分之一。', basis: `${VCL}第十五条` },
  { category: '投票选举', question: '两名候选人得票相等，争最后一个名额怎么办？', answer: '因得票相等不能确定当选人时，应当就得票相等的候选人重新投票，以得票多的当选。', basis: '各省村民委员会选举办法' },
  { category: '投票选举', question: '主任没选上的票，能算到副主任、委员上吗？', answer: '在内蒙古，用一张选票选举各职务的，候选人在较高职务上未当选，其所得选票可以计入较低职务的得票（主任→副主任→委员）。本系统计票按此规则处理，妇女委员职务不参与顺延。', basis: `${IM}第二十八条` },
  { category: '投票选举', question: '不识字或者残疾的选民怎么写票？', answer: '可以委托本人信任的人代写选票，但代写人不得是候选人，也不得违背选民的意愿。', basis: `各省村民委员会选举办法；${IM}` },
  { category: '投票选举', question: '以贿选等手段当选的怎么处理？', answer: '以暴力、威胁、欺骗、贿赂、伪造选票、虚报选举票数等不正当手段当选村民委员会成员的，当选无效。对破坏选举的行为，村民有权举报，有关机关应当及时调查处理。', basis: `${VCL}第十七条` },
  // 委托投票
  { category: '委托投票', question: '选民可以委托别人代为投票吗？', answer: '登记参加选举的村民，选举期间外出不能参加投票的，可以书面委托本村有选举权的近亲属代为投票。村民选举委员会应当公布委托人和受委托人的名单。', basis: `${VCL}第十五条` },
  { category: '委托投票', question: '一个人最多能接受几名选民的委托？', answer: '多数省份规定每一选民接受委托投票不得超过三人（如北京、上海、浙江），候选人不得接受委托。', basis: '各省村民委员会选举办法' },
  { category: '委托投票', question: '内蒙古对委托投票有什么特别要求？', answer: '选举时在本嘎查村的选民不得委托他人投票；外出不能参加投票的，应当在选举日三日以前书面提出委托，经村民选举委员会同意。', basis: `${IM}第二十九条` },
  { category: '委托投票', question: '什么情况下可以使用流动票箱？', answer: '对年老、体弱、患病、残疾等行动不便、不能到投票站的选民，可以设立流动票箱。每个流动票箱应当由村民选举委员会成员和不少于三名监票人负责，使用流动票箱的选民名单应当公布。', basis: `${IM}第二十七条；各省村民委员会选举办法` },
  // 班子结构
  { category: '班子结构', question: '村民委员会由几个人组成？', answer: '村民委员会由主任、副主任和委员共三至七人组成；社区居民委员会一般五至九人。具体职数由县乡根据村的规模提出，村民会议或村民代表会议确定。', basis: `${VCL}第六条；《中华人民共和国城市居民委员会组织法》（2018年修正）第七条` },
  { category: '班子结构', question: '村民委员会中必须有妇女成员吗？', answer: '必须有。村民委员会成员中应当有妇女成员；多民族村民居住的村，应当有人数较少的民族的成员。内蒙古实行妇女委员“专职专选、定位产生”，确保每个嘎查村委会至少有一名女性。', basis: `${VCL}第六条；内蒙古自治区换届选举工作指导意见` },
  { category: '班子结构', question: '什么是“一肩挑”？', answer: '“一肩挑”是指村党组织书记通过法定程序担任村民委员会主任。村党组织书记要先在党员大会选举中当选，再参加村民委员会选举，经村民依法选举当选主任。', basis: '《中国共产党农村基层组织工作条例》（2019年）；2025年修正的《村民委员会组织法》' },
  { category: '班子结构', question: '本届“两委”班子结构有哪些要求？', answer: '按本县结构指标：每个村（社区）“两委”班子中至少有一名女性、至少有一名35周岁以下成员、至少两名大专及以上学历成员，推行书记、主任“一肩挑”，多民族村有人数较少民族的成员。系统在“结构指标”页面按此逐村检查。', basis: '本县换届工作方案（结构指标可由县级调整）' },
  { category: '班子结构', question: '夫妻或直系亲属能同时当选村民委员会成员吗？', answer: '不少省份规定，夫妻关系、直系血亲关系的人员不得同时担任村民委员会成员（如上海、山西）；具体以本省选举办法为准。', basis: '各省村民委员会选举办法' },
  // 党组织换届
  { category: '党组织换届', question: '村党组织每届任期几年？', answer: '村、社区党组织委员会每届任期五年。确需提前或者延期换届的，应当报上级党组织批准，延长或者提前的期限一般不超过一年。', basis: `《中国共产党农村基层组织工作条例》；${PARTY}第三条` },
  { category: '党组织换届', question: '党员大会选举时，到会多少人会议才有效？', answer: '有选举权的到会党员超过应到会人数的五分之四，会议有效。例如应到会30人，实到会至少25人（25×5＝125＞30×4＝120）。', basis: PARTY },
  { category: '党组织换届', question: '哪些党员经批准可以不计入应到会人数？', answer: '经上级党组织同意并经党员大会通过，下列党员可不计入：患有精神疾病或其他疾病不能表达本人意志的；自费出国半年以上的；虽未受到留党察看以上处分但正在服刑的；年老体弱卧床不起、长期生病生活不能自理的；工作调动、下派锻炼、外出学习或工作半年以上，按规定应转走组织关系而没有转走的。', basis: '中央组织部关于应到会人数的解释' },
  { category: '党组织换届', question: '预备党员有选举权吗？', answer: '没有。预备党员没有表决权、选举权和被选举权；受留党察看处分的党员，在留党察看期间也没有这些权利。', basis: `${PARTY}第五条` },
  { category: '党组织换届', question: '党组织委员候选人的差额比例是多少？', answer: '委员候选人的差额不少于应选人数的20%，计算结果有小数的进位取整。例如应选3名委员，候选人至少4名；应选5名，候选人至少6名。', basis: `${PARTY}第十三条` },
  { category: '党组织换届', question: '党员大会选举委员，得多少票才能当选？', answer: '被选举人获得的赞成票超过实到会有选举权人数的一半，始得当选。注意是“实到会人数”的一半，不是“收回选票数”的一半。', basis: PARTY },
  { category: '党组织换届', question: '党组织书记、副书记怎样产生？', answer: '由新一届委员会第一次全体会议选举产生，可以实行等额选举；选出的书记、副书记报上级党组织批准。', basis: `${PARTY}第二十条；《中国共产党章程》` },
  { category: '党组织换届', question: '外出党员能委托别人参加党员大会投票吗？', answer: '不能。党组织选举不实行委托投票；因故未出席会议的党员不能委托他人代为投票。不能书写选票的，可以由本人委托非候选人按照其意志代写。', basis: `${PARTY}第二十四条` },
  { category: '党组织换届', question: '党员选票怎么填写？', answer: '对候选人可以投赞成票、不赞成票，也可以弃权。投不赞成票的，可以另选他人；弃权的不能另选他人。选票所选人数多于应选人数的，该票无效。', basis: `${PARTY}第二十五条` },
  { category: '党组织换届', question: '正式党员不足7人的支部怎样设置？', answer: '正式党员不足7人的党支部不设支部委员会，设书记1名，必要时设副书记1名；正式党员7人以上的设支部委员会，委员一般3至5人，最多不超过7人。', basis: '《中国共产党支部工作条例（试行）》' },
  // 换届后续
  { category: '换届后续', question: '新老村民委员会工作移交有时限吗？', answer: '有。原村民委员会应当自新一届村民委员会产生之日起十日内完成工作移交，移交工作由村民选举委员会主持，乡镇人民政府负责监督。', basis: `${VCL}第二十条` },
  { category: '换届后续', question: '村务监督委员会什么时候推选？哪些人不能担任？', answer: '按本届实施方案，在新一届“两委”产生后十日内推选。村务监督委员会成员由村民会议或者村民代表会议在村民中推选产生，其中应有具备财会、管理知识的人员；村民委员会成员及其近亲属不得担任。', basis: `${VCL}第三十二条；乡镇换届选举实施方案` },
  { category: '换届后续', question: '换届结束后还要做哪些工作？', answer: '换届后一周内开展谈心谈话，一个月内对新任“两委”成员集中培训，健全村（社区）各类配套组织，修订完善村规民约、居民公约和村务工作制度。', basis: '乡镇换届选举实施方案（后续阶段）' },
]

interface DemoMeeting extends Omit<MeetingInput, 'decisions'> {
  territory: string
  who: 'qs_admin' | 'xyz_organiser'
  decisions: { content: string; owner: string; deadline: string | null; doneOn?: string; doneNote?: string }[]
}

/**
 * 旗's mobilisation meeting, and 新营子镇's four: its own mobilisation, the training, and two
 * Party-committee progress reviews, whose decisions are by now done, open or overdue.
 */
const meetings: DemoMeeting[] = [
  {
    territory: DEMO_COUNTY_CODE,
    who: 'qs_admin',
    kind: 'mobilisation',
    title: '全旗村（社区）“两委”换届工作动员部署会议',
    heldOn: '2026-09-08',
    place: '旗委三楼常委会议室',
    host: '旗委副书记 高建军',
    attendees: ['旗委常委、组织部部长', '旗直有关部门主要负责人', '各苏木乡镇党委书记', '各苏木乡镇组织委员'],
    attendeeCount: 46,
    minutes: '会议传达了自治区村（社区）“两委”换届工作会议精神，印发《青山旗村（社区）“两委”换届工作方案》。\n会议要求各苏木乡镇党委书记履行第一责任人职责，9月中旬前完成本级动员部署，严格落实人选资格联审，严肃换届纪律，确保换届风清气正。',
    decisions: [
      { content: '各苏木乡镇召开换届动员部署会，制定本级实施方案报旗委组织部备案', owner: '各苏木乡镇党委书记', deadline: '2026-09-20', doneOn: '2026-09-18', doneNote: '两个苏木乡镇均已备案' },
      { content: '旗纪委监委、组织部、民政局等部门组成资格联审工作组，明确联审时限', owner: '旗委组织部 王建国', deadline: '2026-10-15', doneOn: '2026-10-12', doneNote: '联审工作组已成立，联审时限为收到材料后5个工作日' },
    ],
  },
  {
    territory: DEMO_TOWNSHIP,
    who: 'xyz_organiser',
    kind: 'mobilisation',
    title: '新营子镇村（社区）“两委”换届工作动员部署会',
    heldOn: '2026-09-15',
    place: '镇政府三楼会议室',
    host: '镇党委书记 赵振华',
    attendees: ['镇领导班子成员', '各包村领导和包村干部', '各村（社区）党组织书记', '镇直各部门负责人'],
    attendeeCount: 68,
    minutes: '会议学习了旗换届工作动员部署会议精神，印发《新营子镇2026年村（社区）“两委”换届选举工作实施方案》，宣布镇换届工作领导小组和指导组组成人员。\n赵振华强调：各村（社区）党组织书记是本村换届工作直接责任人，要摸清村情民意，选准配强带头人；包村领导、包村干部要吃住在村，每天报送换届工作日报告。',
    decisions: [
      { content: '各村（社区）制定本村换届工作方案，报镇换届办备案', owner: '各村（社区）党组织书记', deadline: '2026-09-25', doneOn: '2026-09-24', doneNote: '28个村（社区）方案已全部备案' },
      { content: '包村领导带队完成各村村情摸底，形成“一村一策”分析报告', owner: '各包村领导', deadline: '2026-10-10', doneOn: '2026-10-09', doneNote: '28份分析报告已报镇党委' },
      { content: '建立换届工作日报告制度，每天17时前报送当日进展', owner: '基层党建办 李秀兰', deadline: '2026-09-17', doneOn: '2026-09-16', doneNote: '已在系统中开通日报告' },
    ],
  },
  {
    territory: DEMO_TOWNSHIP,
    who: 'xyz_organiser',
    kind: 'training',
    title: '村（社区）“两委”换届选举业务培训会',
    heldOn: '2026-09-22',
    place: '镇党校报告厅',
    host: '镇党委副书记 孟庆丰',
    attendees: ['各村（社区）党组织书记', '村务监督委员会主任', '各包村干部', '镇换届办工作人员'],
    attendeeCount: 86,
    minutes: '旗委组织部、旗民政局业务骨干分别讲解了党组织换届选举程序和村民委员会选举程序，重点讲解选民登记、候选人提名、资格联审、委托投票和流动票箱等环节的操作要求，并现场解答了各村提出的问题。会后进行了业务测试。',
    decisions: [
      { content: '各村组织村民选举委员会成员学习选举办法和《百问百答》', owner: '各包村干部', deadline: '2026-10-15', doneOn: '2026-10-14', doneNote: '各村均已组织学习' },
      { content: '对业务测试不合格的人员进行补训', owner: '镇换届办 李秀兰', deadline: '2026-09-30', doneOn: '2026-09-29', doneNote: '3人补训后测试合格' },
    ],
  },
  {
    territory: DEMO_TOWNSHIP,
    who: 'xyz_organiser',
    kind: 'progress_review',
    title: '镇党委会专题研究村“两委”换届工作（第一次调度）',
    heldOn: '2026-10-20',
    place: '镇党委会议室',
    host: '镇党委书记 赵振华',
    attendees: ['镇党委委员', '镇纪委书记', '镇换届办主任'],
    attendeeCount: 9,
    minutes: '会议听取了各指导组关于村情摸底和人选酝酿情况的汇报，研究了资格联审材料报送安排。会议认为全镇换届工作总体平稳，个别村选民登记进度偏慢，需加强督导。',
    decisions: [
      { content: '汇总各村拟推荐人选资格联审材料，报旗委组织部', owner: '基层党建办 李秀兰', deadline: '2026-11-05', doneOn: '2026-11-04', doneNote: '已报送联审材料' },
      { content: '督促南沟村完成选民登记并公布选民名单', owner: '包村干部 刘海燕', deadline: '2026-11-16', doneOn: '2026-11-15', doneNote: '南沟村选民名单已于11月15日公布' },
    ],
  },
  {
    territory: DEMO_TOWNSHIP,
    who: 'xyz_organiser',
    kind: 'progress_review',
    title: '村“两委”换届工作进度调度会',
    heldOn: '2026-11-18',
    place: '镇党委会议室',
    host: '镇党委书记 赵振华',
    attendees: ['镇党委委员', '各指导组组长', '东营子村、西营子村、南沟村包村干部'],
    attendeeCount: 14,
    minutes: '会议通报了东营子村、西营子村党组织选举准备情况和南沟村村民委员会选举准备情况，对计票结果录入核对、流动票箱设置等工作作出安排。',
    decisions: [
      { content: '西营子村党组织选举计票结果完成录入后，及时安排第二人核对确认', owner: '基层党建办 李秀兰', deadline: '2026-11-25' },
      { content: '做好南沟村村民委员会选举现场准备：流动票箱、监票人计票人培训、秘密写票处设置', owner: '包村领导 张志强', deadline: '2026-12-04' },
      { content: '拟定各村村务监督委员会推选工作安排', owner: '镇纪委书记 周宏伟', deadline: '2026-12-31' },
    ],
  },
]

interface DemoDocument {
  who: 'qs_admin' | 'xyz_organiser'
  territory: string
  kind: DocumentKind
  title: string
  docNumber: string
  issuedOn: string
  summary: string
  /** Chosen units; none: all the issuer's units. */
  units?: string[]
  body: string[]
  /** Who signed for which unit: the cadre for her villages, the township for the others. */
  signed: { who: 'xyz_cadre' | 'xyz_organiser'; unit: string }[]
}

const documents: DemoDocument[] = [
  {
    who: 'qs_admin',
    territory: DEMO_COUNTY_CODE,
    kind: 'plan',
    title: '青山旗村（社区）“两委”换届工作方案',
    docNumber: '青党办发〔2026〕21号',
    issuedOn: '2026-09-08',
    summary: '全旗换届的指导思想、时间安排、人选标准、资格联审和换届纪律。',
    body: ['一、指导思想和目标任务', '二、时间安排：准备阶段、党组织换届、村（居）民委员会换届、后续工作', '三、人选标准和结构要求', '四、资格联审', '五、换届纪律'],
    signed: [
      { who: 'xyz_cadre', unit: unit('201') },
      { who: 'xyz_organiser', unit: unit('001') },
    ],
  },
  {
    who: 'xyz_organiser',
    territory: DEMO_TOWNSHIP,
    kind: 'plan',
    title: '新营子镇2026年村（社区）“两委”换届选举工作实施方案',
    docNumber: '新营子镇党委〔2026〕18号',
    issuedOn: '2026-09-15',
    summary: '全镇26个村、2个社区换届的步骤、时间节点和责任分工。',
    body: ['一、总体要求', '二、方法步骤：准备阶段（9月15日至10月15日）、实施阶段、后续阶段', '三、时间节点：选民名单在选举日20日前公布，正式候选人名单在选举日5日前公布', '四、责任分工：包村领导、包村干部、村党组织书记', '五、工作要求'],
    signed: [
      { who: 'xyz_cadre', unit: unit('201') },
      { who: 'xyz_cadre', unit: unit('202') },
      { who: 'xyz_cadre', unit: unit('203') },
      { who: 'xyz_organiser', unit: unit('001') },
      { who: 'xyz_organiser', unit: unit('002') },
      { who: 'xyz_organiser', unit: unit('204') },
      { who: 'xyz_organiser', unit: unit('205') },
    ],
  },
  {
    who: 'xyz_organiser',
    territory: DEMO_TOWNSHIP,
    kind: 'notice',
    title: '关于成立村（社区）“两委”换届工作领导小组和指导组的通知',
    docNumber: '新营子镇党委〔2026〕19号',
    issuedOn: '2026-09-15',
    summary: '领导小组、指导组组成人员及各指导组联系的村（社区）。',
    body: ['一、领导小组组成人员', '二、指导组组成人员及联系村（社区）', '三、工作职责'],
    signed: [
      { who: 'xyz_cadre', unit: unit('201') },
      { who: 'xyz_organiser', unit: unit('204') },
    ],
  },
  {
    who: 'xyz_organiser',
    territory: DEMO_TOWNSHIP,
    kind: 'handbook',
    title: '村（社区）“两委”换届选举工作手册',
    docNumber: '',
    issuedOn: '2026-09-22',
    summary: '选举各环节的操作流程、文书样式和常见问题，供村民选举委员会使用。',
    body: ['第一章 党组织换届选举流程', '第二章 村民委员会选举流程', '第三章 选举文书样式', '第四章 常见问题解答'],
    signed: [
      { who: 'xyz_cadre', unit: unit('202') },
      { who: 'xyz_organiser', unit: unit('001') },
    ],
  },
  {
    who: 'xyz_organiser',
    territory: DEMO_TOWNSHIP,
    kind: 'notice',
    title: '关于做好南沟村等村选民登记工作的通知',
    docNumber: '新营子镇换届办〔2026〕6号',
    issuedOn: '2026-11-02',
    summary: '南沟村、北沟村、前进村选民登记进度偏慢，限期完成登记并公布选民名单。',
    units: [unit('203'), unit('204'), unit('205')],
    body: ['一、登记范围和对象', '二、外出务工人员登记和委托投票', '三、选民名单公布时限：选举日20日前'],
    signed: [{ who: 'xyz_cadre', unit: unit('203') }],
  },
]

/** A small Word file standing for the document: its title, number and headings. */
function documentBytes(d: DemoDocument, issuer: string): Promise<Buffer> {
  return formDocx({
    title: d.title,
    subtitle: d.docNumber || undefined,
    blocks: [...d.body.map((text) => ({ kind: 'paragraph' as const, text, indent: true })), { kind: 'spacer' }, { kind: 'paragraph', text: issuer, align: 'right', indent: false }],
  })
}

/**
 * The 旗's 百问百答, and 新营子镇's meetings and documents of the 2026 round with their decisions
 * and receipts; a meeting or document after `today` is left out, and a decision done after it is
 * left open. Written through the services as the demo users, so the audit log reads as if they
 * had done it.
 */
export async function seedDemoDeployment(db: Kysely<DB>, today: string): Promise<void> {
  const ctx: Record<string, Ctx> = {}
  for (const u of ['qs_admin', 'xyz_organiser', 'xyz_cadre']) ctx[u] = await demoCtx(db, u)
  const campaign = (await pickCampaign(db, DEMO_COUNTY)).id
  for (const item of demoQa) await createQa(db, ctx.qs_admin!, item)
  for (const { who, territory, decisions, ...m } of meetings) {
    if (m.heldOn > today) continue
    await createMeeting(db, ctx[who]!, {
      ...m,
      territory,
      campaign,
      decisions: decisions.map((d) => ({ ...d, doneOn: d.doneOn && d.doneOn <= today ? d.doneOn : null, doneNote: d.doneOn && d.doneOn <= today ? d.doneNote : '' })),
    })
  }
  for (const d of documents) {
    if (d.issuedOn > today) continue
    const issuer = d.territory === DEMO_COUNTY_CODE ? '中共青山旗委办公室' : '中共新营子镇委员会'
    const data = await documentBytes(d, issuer)
    const doc = await createDocument(
      db,
      ctx[d.who]!,
      { territory: d.territory, campaign, kind: d.kind, title: d.title, docNumber: d.docNumber, issuedOn: d.issuedOn, summary: d.summary, toAll: !d.units, unitCodes: d.units ?? [] },
      () => Promise.resolve({ name: `${d.title}.docx`, type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', data }),
    )
    for (const s of d.signed) await signReceipt(db, ctx[s.who]!, doc.id, s.unit)
  }
}
