// Package catalog holds the service catalogue (事项清单): departments, service
// items with the fields of GB/T 39046-2020, their materials, versions and search.
package catalog

import (
	"slices"
	"time"

	"github.com/onewindow/onewindow/region"
)

// Department is an implementing body (实施主体).
type Department struct {
	Code       string `json:"code"`                  // short stable code, e.g. "HN-SCJG"
	Name       string `json:"name"`                  // 辉南县市场监督管理局
	NameEN     string `json:"name_en,omitempty"`     // Huinan County Market Regulation Bureau
	CreditCode string `json:"credit_code,omitempty"` // 统一社会信用代码 of the body (GB 32100)
	Kind       string `json:"kind,omitempty"`        // a family used by the demo generator: "market", "social", …
}

// Item types after GB/T 39046 and the national list of power items; the
// code is stored as text so that provinces can extend it.
var ItemTypes = map[string][2]string{
	"01": {"行政许可", "administrative licence"},
	"02": {"行政处罚", "administrative penalty"},
	"03": {"行政强制", "administrative enforcement"},
	"04": {"行政征收", "administrative levy"},
	"05": {"行政给付", "administrative benefit"},
	"06": {"行政检查", "administrative inspection"},
	"07": {"行政确认", "administrative confirmation"},
	"08": {"行政奖励", "administrative reward"},
	"09": {"行政裁决", "administrative ruling"},
	"10": {"其他行政权力", "other administrative power"},
	"20": {"公共服务", "public service"},
}

// Levels of government that may handle an item (行使层级): the levels of
// the administrative divisions.
const (
	LevelNational = region.LevelNational // 国家
	LevelProvince = region.LevelProvince // 省
	LevelCity     = region.LevelCity     // 市
	LevelCounty   = region.LevelCounty   // 县
	LevelTownship = region.LevelTownship // 乡镇/街道
	LevelVillage  = region.LevelVillage  // 村/社区
)

// LevelNames gives the Chinese and English name of each level.
var LevelNames = map[int][2]string{
	1: {"国家级", "national"}, 2: {"省级", "provincial"}, 3: {"市级", "city"},
	4: {"县级", "county"}, 5: {"乡镇/街道", "township/street"}, 6: {"村/社区", "village/community"},
}

// Online depth (网办深度): the steps an applicant can do online.
const (
	DepthConsult   = "consult"   // 咨询
	DepthReceive   = "receive"   // 收件
	DepthPreReview = "prereview" // 预审
	DepthAccept    = "accept"    // 受理
	DepthHandle    = "handle"    // 办理
	DepthResult    = "result"    // 结果反馈
	DepthELicence  = "elicence"  // 电子证照
)

// AllDepths is the full online depth, in process order.
var AllDepths = []string{DepthConsult, DepthReceive, DepthPreReview, DepthAccept, DepthHandle, DepthResult, DepthELicence}

// Material requirement (必要性).
const (
	Required = "required" // 必要
	Optional = "optional" // 非必要
	Waivable = "waivable" // 容缺: may be supplied after acceptance
)

// Material is one document an application needs (申请材料).
type Material struct {
	Name        string `json:"name"`                  // 居民身份证
	Type        string `json:"type"`                  // material type code shared across items: "id_card"
	Requirement string `json:"requirement"`           // required | optional | waivable
	Originals   int    `json:"originals"`             // 原件份数
	Copies      int    `json:"copies"`                // 复印件份数
	Form        string `json:"form,omitempty"`        // paper | electronic | either
	Source      string `json:"source,omitempty"`      // applicant | government (政府部门核发, may be fetched by sharing)
	Sample      string `json:"sample,omitempty"`      // where a filled-in sample can be seen
	Description string `json:"description,omitempty"` // what exactly is expected
	// Licence is the code of the electronic licence type (package licence)
	// that satisfies this material: an applicant holding a valid one need
	// not hand it in again (免提交), with consent.
	Licence string `json:"licence,omitempty"`
}

// FormField is one question of an item's application form. Fields with the
// same Key in several items of a bundle are the same question, asked once.
type FormField struct {
	Key      string   `json:"key"`   // applicant_address, child_name …
	Label    string   `json:"label"` // 新生儿姓名
	LabelEN  string   `json:"label_en,omitempty"`
	Type     string   `json:"type"` // text | date | number | id_number | phone | select
	Required bool     `json:"required,omitempty"`
	Options  []string `json:"options,omitempty"` // for select
}

// FieldTypes lists the kinds of form field.
var FieldTypes = []string{"text", "date", "number", "id_number", "phone", "select"}

// Fee is one charge line (收费项目); amounts in fen (分) to stay exact.
type Fee struct {
	Name      string `json:"name"`
	AmountFen int64  `json:"amount_fen"`
	Basis     string `json:"basis,omitempty"`
}

// Version status.
const (
	StatusDraft     = "draft"
	StatusPublished = "published"
	StatusRetired   = "retired" // an older published version, kept for the cases that pinned it
)

// Item is one version of a service item (政务服务事项). A case pins Code and
// Version; a published version never changes.
type Item struct {
	Code              string          `json:"code"`      // implementation code (实施编码), unique
	BaseCode          string          `json:"base_code"` // basic code (基本编码)
	Version           int             `json:"version"`
	Status            string          `json:"status"`
	Name              string          `json:"name"`
	NameEN            string          `json:"name_en,omitempty"`
	Type              string          `json:"type"` // key of ItemTypes
	DepartmentCode    string          `json:"department"`
	Levels            []int           `json:"levels"`              // levels that may handle it
	LegalLimitDays    int             `json:"legal_limit_days"`    // 法定办结时限, working days
	PromisedLimitDays int             `json:"promised_limit_days"` // 承诺办结时限, working days; 0 = 即办件
	Fees              []Fee           `json:"fees,omitempty"`
	Visits            int             `json:"visits"` // 到办事现场次数
	OnlineDepth       []string        `json:"online_depth,omitempty"`
	ResultType        string          `json:"result_type,omitempty"` // 证照 | 批文 | 其他
	ResultName        string          `json:"result_name,omitempty"` // 营业执照
	Conditions        string          `json:"conditions,omitempty"`  // 受理条件
	Basis             string          `json:"basis,omitempty"`       // 设定依据
	Location          string          `json:"location,omitempty"`    // 办理地点
	Hours             string          `json:"hours,omitempty"`       // 办理时间
	Contact           string          `json:"contact,omitempty"`     // 咨询电话
	SupplementDays    int             `json:"supplement_days"`       // working days an applicant has for 补正 (default 5)
	LifeEvents        []string        `json:"life_events,omitempty"` // browse tags: 生育, 就业, 开办企业 …
	Aliases           []string        `json:"aliases,omitempty"`     // other words it is searched by: 营业执照, 社保卡 (aliases.go)
	ServesEnterprises bool            `json:"serves_enterprises"`    // 法人事项 (applicant has a credit code)
	ServesPersons     bool            `json:"serves_persons"`        // 自然人事项
	Materials         []Material      `json:"materials"`
	Fields            []FormField     `json:"fields,omitempty"`    // what the application form asks (一表申请 merges them by key)
	Steps             []string        `json:"steps,omitempty"`     // 办理流程, in order (guide.go)
	FAQ               []Question      `json:"faq,omitempty"`       // 常见问题
	Documents         []GuideDocument `json:"documents,omitempty"` // 空白表格 and 示例样表 to download
	CreatedAt         time.Time       `json:"created_at"`
	PublishedAt       *time.Time      `json:"published_at,omitempty"`
}

// FullyOnline reports 全程网办: every online step and no visit.
func (it *Item) FullyOnline() bool {
	if it.Visits != 0 {
		return false
	}
	for _, d := range AllDepths {
		if !slices.Contains(it.OnlineDepth, d) {
			return false
		}
	}
	return true
}

// HandledAt reports whether a place of the given level may handle the item.
func (it *Item) HandledAt(level int) bool { return slices.Contains(it.Levels, level) }

// Who an item serves (服务对象): persons, enterprises or both.
const (
	AudiencePersons     = "persons"
	AudienceEnterprises = "enterprises"
	AudienceBoth        = "both"
)

// Audience says whom the item serves (服务对象), from ServesPersons and
// ServesEnterprises; an item that names neither is taken to serve both.
func (it Item) Audience() string {
	switch {
	case it.ServesPersons && !it.ServesEnterprises:
		return AudiencePersons
	case it.ServesEnterprises && !it.ServesPersons:
		return AudienceEnterprises
	}
	return AudienceBoth
}

// OpenTo reports whether an applicant of kind ("person" or "enterprise")
// may apply for the item: a person may not apply for an item that serves
// enterprises only (法人事项); an enterprise applies through its agents.
func (it *Item) OpenTo(kind string) bool {
	return !(kind == "person" && it.Audience() == AudienceEnterprises)
}
