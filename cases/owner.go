package cases

import "github.com/onewindow/onewindow/auth"

// OwnedBy reports whether actor, an applicant, is the applicant of c: by
// account, or by the identity number or credit code checked at a desk
// (实名). Other capabilities (好差评) ask it before letting an applicant act
// on a case, so that they follow the same rule as the cases themselves.
func OwnedBy(actor auth.User, c *Case) bool {
	return actor.Role == auth.RoleApplicant && !actor.Disabled && ownsCase(actor, c)
}
