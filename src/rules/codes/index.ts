/**
 * National code lists the people registry uses (stack.md §2.3–2.6). Codes are stored; labels are
 * shown. These are the seed of the dictionary tables; counties may add local codes there.
 */

/** GB 3304-1991 民族 (2-digit codes), plus 97 其他 and 98 外国血统中国籍人士. */
export const ethnicities: readonly [string, string][] = (
  '01汉族 02蒙古族 03回族 04藏族 05维吾尔族 06苗族 07彝族 08壮族 09布依族 10朝鲜族 11满族 12侗族 13瑶族 14白族 ' +
  '15土家族 16哈尼族 17哈萨克族 18傣族 19黎族 20傈僳族 21佤族 22畲族 23高山族 24拉祜族 25水族 26东乡族 27纳西族 ' +
  '28景颇族 29柯尔克孜族 30土族 31达斡尔族 32仫佬族 33羌族 34布朗族 35撒拉族 36毛南族 37仡佬族 38锡伯族 39阿昌族 ' +
  '40普米族 41塔吉克族 42怒族 43乌孜别克族 44俄罗斯族 45鄂温克族 46德昂族 47保安族 48裕固族 49京族 50塔塔尔族 ' +
  '51独龙族 52鄂伦春族 53赫哲族 54门巴族 55珞巴族 56基诺族 97其他 98外国血统中国籍人士'
)
  .split(' ')
  .map((x) => [x.slice(0, 2), x.slice(2)] as [string, string])

/** GB/T 4658-2006 学历 (the leaf codes people are recorded with). */
export const educations: readonly [string, string][] = [
  ['11', '博士研究生毕业'], ['12', '博士研究生结业'], ['13', '博士研究生肄业'],
  ['14', '硕士研究生毕业'], ['15', '硕士研究生结业'], ['16', '硕士研究生肄业'],
  ['17', '研究生班毕业'], ['18', '研究生班结业'], ['19', '研究生班肄业'],
  ['21', '大学本科毕业'], ['22', '大学本科结业'], ['23', '大学本科肄业'], ['28', '大学普通班毕业'],
  ['31', '大学专科毕业'], ['32', '大学专科结业'], ['33', '大学专科肄业'],
  ['41', '中等专科毕业'], ['42', '中等专科结业'], ['43', '中等专科肄业'],
  ['44', '职业高中毕业'], ['45', '职业高中结业'], ['46', '职业高中肄业'],
  ['47', '技工学校毕业'], ['48', '技工学校结业'], ['49', '技工学校肄业'],
  ['61', '普通高中毕业'], ['62', '普通高中结业'], ['63', '普通高中肄业'],
  ['71', '初中毕业'], ['73', '初中肄业'], ['81', '小学毕业'], ['83', '小学肄业'], ['90', '其他'],
]

export type EducationLevel = '研究生' | '大学本科' | '大学专科' | '中专·中技' | '高中' | '初中' | '小学及以下'

/** The roll-up dashboards use. */
export function educationLevel(code: string): EducationLevel {
  const n = Number(code)
  if (n >= 11 && n <= 19) return '研究生'
  if (n >= 21 && n <= 28) return '大学本科'
  if (n >= 31 && n <= 33) return '大学专科'
  if (n >= 41 && n <= 49) return '中专·中技'
  if (n >= 61 && n <= 63) return '高中'
  if (n >= 71 && n <= 73) return '初中'
  return '小学及以下'
}

/** "大专及以上" (college or above), the composition target's measure: codes 11–33. */
export function isCollegeOrAbove(code: string): boolean {
  const n = Number(code)
  return n >= 11 && n <= 33
}

/** GB/T 4762-1984 政治面貌. */
export const politicalStatuses: readonly [string, string][] = [
  ['01', '中国共产党党员'], ['02', '中国共产党预备党员'], ['03', '中国共产主义青年团团员'],
  ['04', '中国国民党革命委员会会员'], ['05', '中国民主同盟盟员'], ['06', '中国民主建国会会员'],
  ['07', '中国民主促进会会员'], ['08', '中国农工民主党党员'], ['09', '中国致公党党员'], ['10', '九三学社社员'],
  ['11', '台湾民主自治同盟盟员'], ['12', '无党派民主人士'], ['13', '群众'],
]

/** Statistics count 中共党员（含预备党员）: codes 01 and 02. */
export function isPartyMember(code: string): boolean {
  return code === '01' || code === '02'
}

/** GB/T 2261.1-2003 性别. */
export const genders: readonly [string, string][] = [['0', '未知的性别'], ['1', '男'], ['2', '女'], ['9', '未说明的性别']]

export function labelOf(list: readonly [string, string][], code: string): string | undefined {
  return list.find(([c]) => c === code)?.[1]
}
