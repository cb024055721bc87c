package web

import (
	"context"
	"net/http"

	"github.com/onewindow/onewindow/auth"
)

// Who may open which pages. Scope within a role (a reviewer's department, a
// desk's service point, an applicant's own cases) is checked by the services.
var (
	applicants  = access{auth.RoleApplicant}
	frontDesks  = access{auth.RoleFrontDesk}
	reviewers   = access{auth.RoleReviewer}
	issuers     = access{auth.RoleIssuer}
	hallManager = access{auth.RoleHallManager}
	admins      = access{auth.RoleAdmin}
	signedIn    = access(auth.Roles)
	// caseActors may add materials to a case.
	caseActors = access{auth.RoleApplicant, auth.RoleFrontDesk}
)

func (w *Web) routes() {
	w.mux.HandleFunc("GET /static/", serveStatic)
	// Browsers ask for /favicon.ico whatever the pages link: the same icon.
	w.mux.HandleFunc("GET /favicon.ico", func(rw http.ResponseWriter, r *http.Request) {
		r2 := r.Clone(r.Context())
		r2.URL.Path = "/static/favicon.svg"
		serveStatic(rw, r2)
	})

	// Portal: open to everyone.
	show(w, "GET /{$}", public, "home", "home.title", w.home)
	w.handle("GET /items", public, w.items)
	w.handle("GET /items/{code}", public, w.item)
	w.handle("GET /items/{code}/documents/{hash}", public, w.itemDocument)
	show(w, "GET /pick/items", public, "pick_items", "picker.title", w.pickItems)
	show(w, "GET /bundles", public, "bundles", "bundles.title", w.bundleGuides)
	w.handle("GET /verify", public, w.verifyPage)
	w.handle("GET /verify/{code}", public, w.verifyPage)
	w.handle("GET /track", public, w.trackPage)
	w.handle("GET /login", public, w.loginPage)
	w.handle("POST /login", public, w.login)
	w.handle("GET /login/oidc", public, w.oidcStart)
	w.handle("GET /login/oidc/callback", public, w.oidcCallback)
	w.handle("POST /logout", public, w.logout)
	w.handle("POST /prefs", public, w.prefs)

	// Applicants' own accounts: registration and password reset by SMS
	// code, and the account page of every signed-in user (accounts.go).
	w.handle("GET /register", public, w.registerPage)
	w.handle("POST /register/code", public, w.registerCode)
	w.handle("POST /register", public, w.register)
	show(w, "GET /forgot", public, "forgot", "forgot.title", w.forgotPage)
	w.handle("POST /forgot/code", public, w.forgotCode)
	w.handle("POST /forgot", public, w.forgot)
	w.handle("GET /account", signedIn, w.account)
	w.handle("POST /account/password", signedIn, w.changePassword)
	w.handle("POST /account/phone/code", applicants, w.phoneCode)
	w.handle("POST /account/phone", applicants, w.changePhone)
	w.handle("POST /account/sessions/{id}/revoke", signedIn, w.revokeSession)
	w.handle("POST /account/sign-out-everywhere", signedIn, w.signOutEverywhere)
	// Enterprises registered by their legal representative and their
	// agents (经办人) (enterprises.go).
	w.handle("GET /account/enterprises", applicants, w.enterprises)
	w.handle("POST /account/enterprises", applicants, w.registerEnterprise)
	w.handle("POST /account/enterprises/{code}/agents", applicants, w.authoriseAgent)
	w.handle("POST /account/enterprises/{code}/agents/{id}/withdraw", applicants, w.withdrawAgent, agentID)
	show(w, "GET /admin/sms", admins, "admin_sms", "sms.title", w.devMailbox)

	// Applicants.
	show(w, "GET /my", applicants, "my", "my.title", w.myCases)
	w.handle("GET /apply/{code}", applicants, w.applyPage)
	w.handle("POST /apply/{code}", applicants, w.apply)
	w.handle("GET /cases/{id}/submitted", applicants, w.submitted, caseID)
	w.handle("GET /bundles/{code}/apply", applicants, w.bundleOnlinePage)
	w.handle("POST /bundles/{code}/apply", applicants, w.bundleOnline)
	w.handle("POST /bundle-cases/{id}/check", frontDesks, w.bundleCheck, bundleID)
	w.handle("POST /bundle-cases/{id}/supply", applicants, w.bundleSupply, bundleID)

	// One case, for everyone who may see it.
	w.handle("GET /case/{number}", signedIn, w.track)
	w.handle("GET /cases/{id}", signedIn, w.casePage, caseID)
	w.handle("POST /cases/{id}/act", signedIn, w.act, caseID)
	w.handle("POST /cases/{id}/reveal", signedIn, w.revealIdentity, caseID)
	w.handle("POST /cases/{id}/materials", caseActors, w.addMaterial, caseID)
	w.handle("GET /cases/{id}/documents/{kind}", signedIn, w.document, caseID)
	w.handle("GET /cases/{id}/files/{type}", signedIn, w.caseFile, caseID)
	w.handle("GET /cases/{id}/signature", signedIn, w.collectorSignature, caseID)

	// Bundle cases (一件事), for everyone who may see them; issued at the issuing window.
	show(w, "GET /bundle-cases", signedIn, "bundle_cases", "bundle_cases.title", w.bundleCases)
	w.handle("GET /bundle-cases/{id}", signedIn, w.bundleCasePage, bundleID)
	w.handle("GET /bundle-cases/{id}/files/{type}", signedIn, w.bundleFile, bundleID)
	w.handle("GET /bundle-cases/{id}/documents/{kind}", signedIn, w.bundleDocument, bundleID)
	w.handle("POST /bundle-cases/{id}/issue", issuers, w.issueBundle, bundleID)

	// Front desk (综合受理).
	w.handle("GET /desk", frontDesks, w.desk)
	show(w, "GET /desk/accept", frontDesks, "accept", "accept.title", w.acceptPage)
	w.handle("POST /desk/accept", frontDesks, w.accept)
	w.handle("GET /desk/cases", frontDesks, w.queueOf(deskCases))
	show(w, "GET /desk/bundle", frontDesks, "bundle_apply", "bundle_apply.title", w.deskBundlePage)
	w.handle("POST /desk/bundle", frontDesks, w.deskBundle)
	hall := needs(w.Hall != nil)
	w.handle("POST /desk/windows/{window}/{action}", frontDesks, w.windowAction, hall)
	w.handle("POST /desk/tickets/{id}/cases", frontDesks, w.linkCases, hall, anyID)
	w.handle("POST /desk/tickets/{id}/{action}", frontDesks, w.ticketAction, hall, anyID)

	// Back office (后台审批) and issuing window (统一出证).
	w.handle("GET /review", reviewers, w.queueOf(reviewQueue))
	w.handle("GET /issue", issuers, w.queueOf(issueQueue))

	// Hall managers, and the public display board of each hall (hall.go).
	w.handle("GET /hall", hallManager, w.queueOf(hallCases))
	w.handle("GET /hall/today", hallManager, w.hallToday, hall)
	w.handle("GET /hall/today/stats", hallManager, w.hallStats, hall)
	w.handle("GET /board/{point}", public, w.board, hall)

	// Appointments (预约办) and tickets for today (取号) for applicants, and
	// the hall manager's roster, windows, hours, slots and the day's
	// appointments (appointments.go, hallmanage.go).
	w.handle("GET /appointments", applicants, w.myAppointments, hall)
	show(w, "GET /appointments/book", applicants, "appt_book", "appt.book_title", w.bookPage, hall)
	w.handle("POST /appointments/book", applicants, w.book, hall)
	w.handle("GET /appointments/{point}/{id}", applicants, w.apptShow, hall, anyID)
	show(w, "GET /appointments/{point}/{id}/move", applicants, "appt_book", "appt.move_title", w.apptMovePage, hall, anyID)
	w.handle("POST /appointments/{point}/{id}/move", applicants, w.apptMove, hall, anyID)
	w.handle("POST /appointments/{point}/{id}/cancel", applicants, w.apptCancel, hall, anyID)
	show(w, "GET /tickets/take", applicants, "ticket_take", "ticket.take_title", w.takePage, hall)
	w.handle("POST /tickets/take", applicants, w.take, hall)
	show(w, "GET /tickets/{point}/{id}", applicants, "ticket_show", "ticket.show_title", w.ticketShow, hall, anyID)
	w.handle("GET /hall/roster", hallManager, w.rosterPage, hall)
	w.handle("POST /hall/roster/day", hallManager, w.editRosterDay, hall)
	w.handle("POST /hall/roster/rotate", hallManager, w.rotateRoster, hall)
	w.handle("POST /hall/roster/skill", hallManager, w.saveSkill, hall)
	w.handle("GET /hall/windows", hallManager, w.windowsPage, hall)
	w.handle("POST /hall/windows", hallManager, w.saveWindow, hall)
	w.handle("POST /hall/hours", hallManager, w.saveHours, hall)
	w.handle("POST /hall/slots/generate", hallManager, w.generateSlots, hall)
	w.handle("GET /hall/appointments", hallManager, w.hallAppointments, hall)
	w.handle("POST /hall/appointments/{id}/check-in", hallManager, w.checkInAppointment, hall, anyID)

	// Administration.
	show(w, "GET /admin", admins, "admin", "admin.title", w.adminHome)
	w.handle("GET /admin/items", admins, w.adminItems)
	w.handle("GET /admin/items/export", admins, w.exportCatalogue)
	w.handle("POST /admin/items/import", admins, w.importCatalogue)
	w.handle("GET /admin/items/{code}", admins, w.adminItem)
	w.handle("POST /admin/items/{code}", admins, w.saveItem)
	w.handle("GET /admin/items/{code}/guide", admins, w.adminGuidePage)
	w.handle("POST /admin/items/{code}/guide", admins, w.adminGuideSave)
	w.handle("POST /admin/items/{code}/versions/{version}/publish", admins, w.publishItem)
	w.handle("GET /admin/users", admins, w.adminUsers)
	w.handle("POST /admin/users", admins, w.addUser)
	w.handle("GET /admin/points", admins, w.adminPoints)
	w.handle("GET /admin/cases", admins, w.queueOf(adminCasesSpec))
	w.handle("GET /admin/audit", admins, w.adminAudit)
	w.handle("GET /admin/workdays", admins, w.adminWorkdays)
	w.handle("POST /admin/workdays", admins, w.importWorkdays)
	w.handle("GET /admin/coverage", admins, w.adminCoverage, needs(w.Coverage != nil))
	w.handle("GET /admin/figures", admins, w.adminFigures)

	// Administration: new items, service points, extension requests (admin.go);
	// extensions on the case page, asked for by reviewers and decided by
	// administrators (casepage.go).
	show(w, "GET /admin/items/new", admins, "admin_item", "adminitem.new_title", w.newItemForm)
	w.handle("POST /admin/items/new", admins, w.createItem)
	show(w, "GET /admin/points/new", admins, "admin_point", "point.new_title", w.newPointPage)
	w.handle("POST /admin/points/new", admins, w.createPoint)
	show(w, "GET /admin/points/{code}", admins, "admin_point", "point.edit_title", w.pointPage)
	w.handle("POST /admin/points/{code}", admins, w.updatePoint)
	show(w, "GET /admin/extensions", admins, "admin_extensions", "extension.list_title", w.adminExtensions)

	// Administration: bundle definitions (一件事) and accounts switched off and
	// on (admin_bundles.go).
	show(w, "GET /admin/bundles", admins, "admin_bundles", "adminbundle.list_title", w.adminBundles)
	show(w, "GET /admin/bundles/new", admins, "admin_bundle", "adminbundle.new_title", w.newBundlePage)
	w.handle("POST /admin/bundles/new", admins, w.saveBundle)
	w.handle("GET /admin/bundles/{code}", admins, w.adminBundle)
	w.handle("POST /admin/bundles/{code}", admins, w.saveBundle)
	w.handle("POST /admin/bundles/{code}/versions/{version}/publish", admins, w.publishBundle)
	w.handle("POST /admin/users/{id}/disabled", admins, w.setUserDisabled, userID)
	w.handle("POST /admin/users/{id}/department-head", admins, w.setDepartmentHead, userID)
	w.handle("POST /cases/{id}/extension", access{auth.RoleReviewer, auth.RoleAdmin}, w.extension, caseID)

	// 好差评: ratings, the window's pad, follow-ups, satisfaction (ratings.go).
	w.ratingRoutes()
	// Notifications: every account's inbox (站内信) and preferences; the
	// delivery record and the templates for administrators (notifications.go).
	show(w, "GET /inbox", signedIn, "inbox", "inbox.title", w.inbox)
	w.handle("POST /inbox/read", signedIn, w.markRead)
	w.handle("GET /notifications/preferences", signedIn, w.notifyPrefsPage)
	w.handle("POST /notifications/preferences", signedIn, w.saveNotifyPrefs)
	w.handle("GET /admin/notifications", admins, w.adminDeliveries)
	w.handle("POST /admin/notifications/{id}/retry", admins, w.retryDelivery, messageID)
	w.handle("GET /admin/notifications/templates", admins, w.adminTemplates)
	w.handle("POST /admin/notifications/templates", admins, w.saveTemplate)
	show(w, "GET /admin/webhooks", admins, "admin_webhooks", "webhooks.title", w.webhooksData)
	w.handle("POST /admin/webhooks", admins, w.addWebhook)
	w.handle("GET /admin/webhooks/{id}", admins, w.adminWebhook, webhookID)
	w.handle("POST /admin/webhooks/{id}/active", admins, w.setWebhookActive, webhookID)
	w.handle("POST /admin/webhooks/{id}/replay", admins, w.replayWebhook, webhookID)

	// 产融合作 and the bridge-loan fund (finance.go), 驻企服务 requests
	// (enterprise.go) and 民生实事 (targets.go).
	w.financeRoutes()
	// 电子证照: verification, the wallet, the 证照目录 (licences.go).
	w.licenceRoutes()
	w.enterpriseRoutes()
	w.targetRoutes()

	w.handle("/", public, func(context.Context, *call) (answer, error) { return nil, errNoPage() })
}
