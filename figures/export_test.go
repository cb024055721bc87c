package figures

// Recounting returns a copy of s that counts the cases themselves, the
// reference the kept monthly figures are held against.
func Recounting(s *Service) *Service {
	c := *s
	c.recount = true
	return &c
}
