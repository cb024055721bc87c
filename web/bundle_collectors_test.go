package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/demo"
	"github.com/onewindow/onewindow/ident"
)

// The bundle page shows who collected the results handed out at the
// window, once they are: the applicant in person for the first results of
// a partial issue, an agent with the authorisation for the last one; each
// with the items collected and the identity card number masked, in Chinese
// and English, to the issuer and to the applicant; before any issue there
// is none.
func TestBundlePageShowsCollectors(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) { bundlePageShowsCollectors(t, e) })
}

func bundlePageShowsCollectors(t *testing.T, e *env) {
	id := openBundle(t, e, demo.BundleDisability)
	path := "/bundle-cases/" + strconv.FormatInt(id, 10)
	readyMember(t, e, id, demo.CodeDisabilityCertificate) // starts the other two
	readyMember(t, e, id, demo.CodeDisabilityRehabilitation)
	issuer := e.as(t, "hn_chuzheng")
	issuer.get(path).want(200).lacks(`id="bundle-collectors"`)

	issuer.post(path+"/issue", withCollector(t, url.Values{"issue_method": {cases.IssueAtWindow}})).want(http.StatusSeeOther)
	b, _ := memberStates(t, e, id)
	name := map[string]string{}
	for _, m := range b.Members {
		name[m.Item] = m.ItemName
	}
	p := issuer.get(path).want(200)
	list := p.within("bundle-collectors", "</ul>")
	zmID := idOf("zhouming")
	if !strings.Contains(list, "周明") || !strings.Contains(list, ident.MaskID(zmID)) || !strings.Contains(list, "申请人本人") ||
		!strings.Contains(list, name[demo.CodeDisabilityCertificate]) || !strings.Contains(list, name[demo.CodeDisabilityRehabilitation]) ||
		strings.Contains(list, name[demo.CodeDisabilitySubsidies]) || strings.Count(list, `class="collector"`) != 1 {
		t.Errorf("after the partial issue the collectors are:\n%s", list)
	}
	p.lacks(zmID)

	// The last result goes to an agent.
	readyMember(t, e, id, demo.CodeDisabilitySubsidies)
	agent := withCollector(t, url.Values{"issue_method": {cases.IssueAtWindow}})
	agentID := idOf("yuxiulan")
	agent.Set("collector_name", "于秀兰")
	agent.Set("collector_id", agentID)
	agent.Set("collector_relation", cases.CollectorAgent)
	agent.Set("collector_authorisation", "委托书 2026-017")
	issuer.post(path+"/issue", agent).want(http.StatusSeeOther)
	p = issuer.get(path).want(200).lacks(agentID, zmID)
	list = p.within("bundle-collectors", "</ul>")
	if strings.Count(list, `class="collector"`) != 2 {
		t.Fatalf("after the last issue the collectors are:\n%s", list)
	}
	second := list[strings.LastIndex(list, `class="collector"`):]
	if !strings.Contains(second, "于秀兰") || !strings.Contains(second, ident.MaskID(agentID)) || !strings.Contains(second, "委托书 2026-017") ||
		!strings.Contains(second, `data-relation="agent"`) || !strings.Contains(second, name[demo.CodeDisabilitySubsidies]) ||
		strings.Contains(second, name[demo.CodeDisabilityCertificate]) {
		t.Errorf("the agent's record is:\n%s", second)
	}

	zm := e.as(t, "zhouming")
	zm.get(path).want(200).has(`id="bundle-collectors"`, "于秀兰", "领取的结果")
	zm.lang = "en"
	zm.get(path).want(200).has("Collected by", "The applicant in person", "An agent with the applicant", "Results collected").lacks("⟦")
}

// bundleCollected is a disability bundle case whose results were all
// handed out at the county hall's window to 周明, in person.
func bundleCollected(t *testing.T, e *env) int64 {
	t.Helper()
	id := openBundle(t, e, demo.BundleDisability)
	for _, item := range []string{demo.CodeDisabilityCertificate, demo.CodeDisabilityRehabilitation, demo.CodeDisabilitySubsidies} {
		readyMember(t, e, id, item)
	}
	path := "/bundle-cases/" + strconv.FormatInt(id, 10)
	issuer := e.as(t, "hn_chuzheng")
	issuer.get(path).want(200)
	issuer.post(path+"/issue", withCollector(t, url.Values{"issue_method": {cases.IssueAtWindow}})).want(http.StatusSeeOther)
	return id
}
