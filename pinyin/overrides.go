package pinyin

import (
	"strings"
	"unicode/utf8"
)

// The library reads one character at a time and knows nothing of words, so
// its first reading of a heteronym is wrong in many names: 银行 would be
// yinxing, 重庆 zhongqing, 长春 zhangchun. Two small tables correct that.
//
// heteronyms lists the characters whose other readings are common in item
// and place names, with the readings to index, the usual one in names first.
// The library's own list of readings is much longer (登 de, 可 ge, 许 hu,
// 机 wei…): readings nobody types, which would add noise to every search and
// crowd out the variants that matter, so other characters take only its first
// reading. A reading the library does not know for the character is ignored
// (a test keeps the table free of such typos). 供 is absent: gōng and gòng
// are both gong without tones.
var heteronyms = map[rune][]string{
	'长': {"chang", "zhang"},
	'重': {"zhong", "chong"},
	'行': {"xing", "hang"},
	'乐': {"le", "yue"},
	'便': {"bian", "pian"},
	'单': {"dan", "shan"},
	'都': {"du", "dou"},
	'传': {"chuan", "zhuan"},
	'朝': {"chao", "zhao"},
	'还': {"hai", "huan"},
	'调': {"diao", "tiao"},
	'会': {"hui", "kuai"},
	'参': {"can", "shen"},
	'给': {"gei", "ji"},
	'藏': {"cang", "zang"},
	'校': {"xiao", "jiao"},
	'解': {"jie", "xie"},
	'查': {"cha", "zha"},
	'差': {"cha", "chai"},
	'曾': {"zeng", "ceng"},
	'角': {"jiao", "jue"},
	'降': {"jiang", "xiang"},
	'省': {"sheng", "xing"},
	'率': {"lv", "shuai"},
	'识': {"shi", "zhi"},
	'模': {"mo", "mu"},
	'区': {"qu", "ou"},
	'沈': {"shen", "chen"},
	'珲': {"hun", "hui"},
	'厦': {"sha", "xia"},
	'盛': {"sheng", "cheng"},
	'系': {"xi", "ji"},
	'种': {"zhong", "chong"},
	'强': {"qiang", "jiang"},
	'弹': {"dan", "tan"},
	'宿': {"su", "xiu"},
	'卡': {"ka", "qia"},
}

// phrases decide the reading of a heteronym inside the words where it
// occurs in item names, place names of Jilin, and common words around them;
// a decided character gets no variants. Readings are space-separated, one a
// character. 朝阳 is left out on purpose: place names (朝阳镇, the seat of
// Huinan County, and Changchun's 朝阳区) are read chaoyang, yet many type
// zhaoyang, and indexing both readings finds them either way.
var phrases = map[string]string{
	// 行
	"银行": "yin hang", "行业": "hang ye", "行长": "hang zhang", "商行": "shang hang", "车行": "che hang",
	"行政": "xing zheng", "行驶": "xing shi", "行为": "xing wei", "执行": "zhi xing", "运行": "yun xing",
	"进行": "jin xing", "旅行": "lv xing", "发行": "fa xing", "通行": "tong xing", "出行": "chu xing",
	"行医": "xing yi", "可行": "ke xing", "实行": "shi xing", "试行": "shi xing", "暂行": "zan xing",
	// 重
	"重庆": "chong qing", "重新": "chong xin", "重建": "chong jian", "重置": "chong zhi", "重复": "chong fu",
	"重审": "chong shen", "重组": "chong zu", "重申": "chong shen", "重婚": "chong hun", "重叠": "chong die",
	"重大": "zhong da", "重点": "zhong dian", "重要": "zhong yao", "严重": "yan zhong", "重度": "zhong du",
	"重量": "zhong liang", "重型": "zhong xing", "超重": "chao zhong",
	// 长
	"长春": "chang chun", "长白": "chang bai", "长岭": "chang ling", "长期": "chang qi", "长途": "chang tu",
	"延长": "yan chang", "专长": "zhuan chang", "特长": "te chang", "长江": "chang jiang", "长城": "chang cheng",
	"校长": "xiao zhang", "院长": "yuan zhang", "家长": "jia zhang", "局长": "ju zhang", "县长": "xian zhang",
	"乡长": "xiang zhang", "镇长": "zhen zhang", "村长": "cun zhang", "市长": "shi zhang", "省长": "sheng zhang",
	"站长": "zhan zhang", "所长": "suo zhang", "厂长": "chang zhang", "船长": "chuan zhang", "机长": "ji zhang",
	"会长": "hui zhang", "社长": "she zhang", "董事长": "dong shi zhang", "理事长": "li shi zhang",
	"增长": "zeng zhang", "生长": "sheng zhang", "成长": "cheng zhang",
	// 乐
	"音乐": "yin yue", "乐器": "yue qi", "乐团": "yue tuan", "乐队": "yue dui", "乐曲": "yue qu",
	"娱乐": "yu le", "游乐": "you le", "快乐": "kuai le",
	// 便
	"便民": "bian min", "方便": "fang bian", "便利": "bian li", "便捷": "bian jie", "便宜": "pian yi",
	// 单
	"单县": "shan xian", "单位": "dan wei", "单独": "dan du", "名单": "ming dan", "清单": "qing dan",
	"简单": "jian dan", "订单": "ding dan", "账单": "zhang dan", "单身": "dan shen", "单据": "dan ju",
	// 都
	"成都": "cheng du", "首都": "shou du", "都市": "du shi",
	// 传
	"传记": "zhuan ji", "自传": "zi zhuan", "传染": "chuan ran", "传承": "chuan cheng", "宣传": "xuan chuan",
	"传真": "chuan zhen", "传统": "chuan tong",
	// 朝
	"朝鲜": "chao xian", "朝代": "chao dai", "朝向": "chao xiang",
	// 会, 调, 还, 给, 参, 藏, 校, 差, 了, 的, 厦, 珲
	"会计": "kuai ji", "财会": "cai kuai", "社会": "she hui", "委员会": "wei yuan hui", "协会": "xie hui",
	"会员": "hui yuan", "会议": "hui yi", "大会": "da hui", "工会": "gong hui", "商会": "shang hui", "基金会": "ji jin hui",
	"调解": "tiao jie", "调整": "tiao zheng", "协调": "xie tiao", "调处": "tiao chu", "调剂": "tiao ji",
	"调节": "tiao jie", "空调": "kong tiao", "调查": "diao cha", "调动": "diao dong", "调档": "diao dang",
	"还款": "huan kuan", "还贷": "huan dai", "偿还": "chang huan", "返还": "fan huan", "退还": "tui huan",
	"归还": "gui huan", "还林": "huan lin", "还田": "huan tian", "还原": "huan yuan",
	"给付": "ji fu", "供给": "gong ji", "补给": "bu ji",
	"人参": "ren shen", "参保": "can bao", "参加": "can jia",
	"西藏": "xi zang", "宝藏": "bao zang",
	"学校": "xue xiao", "校对": "jiao dui", "校验": "jiao yan", "校准": "jiao zhun",
	"出差": "chu chai", "差旅": "chai lv",
	"了解": "liao jie", "目的": "mu di",
	"厦门": "xia men", "大厦": "da sha", "珲春": "hun chun",
	// 解, 查, 省, 种, 系, 卡, 识
	"调解员": "tiao jie yuan", "检查": "jian cha", "查询": "cha xun", "审查": "shen cha", "省级": "sheng ji",
	"跨省": "kua sheng", "接种": "jie zhong", "种子": "zhong zi", "种植": "zhong zhi", "系统": "xi tong",
	"关系": "guan xi", "联系": "lian xi", "社保卡": "she bao ka", "知识": "zhi shi",
}

// phraseReadings is phrases split into syllables; longestPhrase is the
// length of its longest phrase in characters, phraseStarts the characters
// phrases start with (most characters start none, and need no look-up).
var phraseReadings, longestPhrase, phraseStarts = splitPhrases(phrases)

func splitPhrases(table map[string]string) (map[string][]string, int, map[rune]bool) {
	out := make(map[string][]string, len(table))
	starts := map[rune]bool{}
	longest := 0
	for phrase, readings := range table {
		out[phrase] = strings.Fields(readings)
		longest = max(longest, utf8.RuneCountInString(phrase))
		first, _ := utf8.DecodeRuneInString(phrase)
		starts[first] = true
	}
	return out, longest, starts
}
