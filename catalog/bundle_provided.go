package catalog

import "slices"

// MarkProvided marks the merged materials of g that another member's
// result provides: a material every member asking for it says a licence
// type satisfies, where for each of those members another member yields a
// licence of that type (results: item code → licence type code) and comes
// first, as its prerequisite (directly or through others) or earlier in the
// bundle's order without depending on it. Inside the bundle that licence is
// passed on to the members that need it, so the application does not ask
// for the material.
func MarkProvided(g *BundleGuide, results map[string]string) {
	if len(results) == 0 {
		return
	}
	order := map[string]int{}
	deps := map[string][]string{}
	for i, m := range g.Members {
		order[m.Item] = i
		deps[m.Item] = m.DependsOn
	}
	// prerequisite reports that p must be approved before c starts.
	var prerequisite func(p, c string) bool
	prerequisite = func(p, c string) bool {
		for _, d := range deps[c] {
			if d == p || prerequisite(p, d) {
				return true
			}
		}
		return false
	}
	first := func(p, c string) bool {
		return prerequisite(p, c) || (order[p] < order[c] && !prerequisite(c, p))
	}
	for i := range g.Materials {
		mm := &g.Materials[i]
		var providers []string
		covered := len(mm.Items) > 0
		for _, consumer := range mm.Items {
			licence := ""
			if it := slices.IndexFunc(g.Items, func(it Item) bool { return it.Code == consumer }); it >= 0 {
				if j := slices.IndexFunc(g.Items[it].Materials, func(m Material) bool { return m.Type == mm.Type }); j >= 0 {
					licence = g.Items[it].Materials[j].Licence
				}
			}
			found := false
			for _, m := range g.Members {
				if licence != "" && m.Item != consumer && results[m.Item] == licence && first(m.Item, consumer) {
					found = true
					if !slices.Contains(providers, m.Item) {
						providers = append(providers, m.Item)
					}
				}
			}
			covered = covered && found
		}
		if covered {
			slices.SortFunc(providers, func(a, b string) int { return order[a] - order[b] })
			mm.ProvidedBy = providers
		}
	}
}

// Asked returns the merged materials the application asks for: those no
// member's result provides.
func Asked(all []MergedMaterial) []MergedMaterial {
	var out []MergedMaterial
	for _, m := range all {
		if len(m.ProvidedBy) == 0 {
			out = append(out, m)
		}
	}
	return out
}
