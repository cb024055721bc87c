package web

import (
	"strings"

	"github.com/onewindow/onewindow/auth"
)

// navItem is one entry of the main menu.
type navItem struct {
	Key     string // message key of the label
	Path    string
	Current bool
}

// menus lists each role's entries; "" is the menu of visitors who are not
// signed in. The hall's calling is part of the front desk page and its
// display board (/board/{point}) is opened on the hall's screen, not from a
// menu.
var menus = map[auth.Role][]navItem{
	"": {
		{Key: "nav.home", Path: "/"},
		{Key: "nav.items", Path: "/items"},
		{Key: "nav.bundles", Path: "/bundles"},
		{Key: "nav.track", Path: "/track"},
		{Key: "nav.verify", Path: "/verify"},
		{Key: "licence.verify_nav", Path: "/verify/licence"},
		{Key: "satisfaction.nav", Path: "/satisfaction"},
		{Key: "targets.nav", Path: "/targets"},
	},
	auth.RoleApplicant: {
		{Key: "nav.home", Path: "/"},
		{Key: "nav.items", Path: "/items"},
		{Key: "nav.bundles", Path: "/bundles"},
		{Key: "nav.my", Path: "/my"},
		{Key: "licence.nav", Path: "/licences"},
		{Key: "appt.nav", Path: "/appointments"},
		{Key: "ticket.nav", Path: "/tickets/take"},
		{Key: "finance.nav", Path: "/finance"},
		{Key: "requests.nav", Path: "/requests"},
		{Key: "nav.verify", Path: "/verify"},
	},
	auth.RoleFrontDesk: {
		{Key: "nav.desk", Path: "/desk"},
		{Key: "nav.desk_cases", Path: "/desk/cases"},
		{Key: "phone.nav", Path: "/desk/phone-rating"},
		{Key: "requests.nav", Path: "/requests"},
		{Key: "nav.bundle_cases", Path: "/bundle-cases"},
		{Key: "nav.items", Path: "/items"},
		{Key: "nav.verify", Path: "/verify"},
	},
	auth.RoleReviewer: {
		{Key: "nav.review", Path: "/review"},
		{Key: "followup.nav", Path: "/followups"},
		{Key: "requests.nav", Path: "/requests"},
		{Key: "targets.nav", Path: "/targets"},
		{Key: "nav.items", Path: "/items"},
	},
	auth.RoleIssuer: {
		{Key: "nav.issue", Path: "/issue"},
		{Key: "nav.bundle_cases", Path: "/bundle-cases"},
		{Key: "nav.verify", Path: "/verify"},
	},
	auth.RoleHallManager: {
		{Key: "nav.hall_today", Path: "/hall/today"},
		{Key: "nav.hall", Path: "/hall"},
		{Key: "roster.nav", Path: "/hall/roster"},
		{Key: "hallmgmt.nav", Path: "/hall/windows"},
		{Key: "hallmgmt.appointments_nav", Path: "/hall/appointments"},
		{Key: "ratings.nav", Path: "/ratings"},
		{Key: "followup.nav", Path: "/followups"},
		{Key: "nav.items", Path: "/items"},
	},
	auth.RoleAdmin: {
		{Key: "nav.admin", Path: "/admin"},
		{Key: "nav.admin_items", Path: "/admin/items"},
		{Key: "licence.types_title", Path: "/admin/licence-types"},
		{Key: "adminbundle.nav", Path: "/admin/bundles"},
		{Key: "nav.admin_users", Path: "/admin/users"},
		{Key: "nav.admin_points", Path: "/admin/points"},
		{Key: "extension.nav", Path: "/admin/extensions"},
		{Key: "nav.admin_workdays", Path: "/admin/workdays"},
		{Key: "nav.admin_coverage", Path: "/admin/coverage"},
		{Key: "figures.nav", Path: "/admin/figures"},
		{Key: "nav.admin_sms", Path: "/admin/sms"},
		{Key: "ratings.nav", Path: "/ratings"},
		{Key: "followup.nav", Path: "/followups"},
		{Key: "deliveries.nav", Path: "/admin/notifications"},
		{Key: "adminfinance.nav", Path: "/admin/finance"},
		{Key: "requests.nav", Path: "/requests"},
		{Key: "admintargets.nav", Path: "/admin/targets"},
	},
	auth.RoleFinanceOfficer: {
		{Key: "bank.nav", Path: "/bank"},
	},
}

// navFor returns the menu of u with the entry of the current page marked.
func navFor(u *auth.User, current string) []navItem {
	var role auth.Role
	if u != nil {
		role = u.Role
	}
	src := menus[role]
	out := make([]navItem, len(src))
	best := -1
	for i, n := range src {
		out[i] = n
		if current == n.Path || (n.Path != "/" && strings.HasPrefix(current, n.Path+"/")) {
			if best < 0 || len(n.Path) > len(src[best].Path) {
				best = i
			}
		}
	}
	if best >= 0 {
		out[best].Current = true
	}
	return out
}
