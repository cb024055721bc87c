package cases

import (
	"slices"

	"github.com/onewindow/onewindow/catalog"
)

// MaterialCheck is the outcome of comparing what an applicant brought with
// what the item asks for. Missing lists every required material at once, so
// that the applicant is told everything in one notice (一次性告知).
type MaterialCheck struct {
	Missing         []catalog.Material `json:"missing"`          // required and absent: cannot be accepted
	WaivableMissing []catalog.Material `json:"waivable_missing"` // 容缺: may be accepted, supplied later
	Unknown         []string           `json:"unknown,omitempty"`
}

// Complete reports that nothing is missing.
func (c MaterialCheck) Complete() bool { return len(c.Missing) == 0 && len(c.WaivableMissing) == 0 }

// Acceptable reports that the case may be accepted now, with 容缺 if
// waivable materials are still missing.
func (c MaterialCheck) Acceptable() bool { return len(c.Missing) == 0 }

// CheckMaterials compares the material types provided with the item's list.
// Optional materials are never reported missing.
func CheckMaterials(it *catalog.Item, provided []string) MaterialCheck {
	var c MaterialCheck
	for _, m := range it.Materials {
		if slices.Contains(provided, m.Type) {
			continue
		}
		switch m.Requirement {
		case catalog.Required:
			c.Missing = append(c.Missing, m)
		case catalog.Waivable:
			c.WaivableMissing = append(c.WaivableMissing, m)
		}
	}
	for _, p := range provided {
		if !slices.ContainsFunc(it.Materials, func(m catalog.Material) bool { return m.Type == p }) {
			c.Unknown = append(c.Unknown, p)
		}
	}
	return c
}
