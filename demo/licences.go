package demo

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/clock"
	"github.com/onewindow/onewindow/licence"
	"github.com/onewindow/onewindow/store"
)

// LicenceTypes returns the demo's 证照目录 (data/licence-types.json): the
// common licences the demo items yield, 营业执照 first.
func LicenceTypes() ([]licence.Type, error) {
	b, err := readData(dataFiles, "licence-types.json")
	if err != nil {
		return nil, err
	}
	var types []licence.Type
	if err := json.Unmarshal(b, &types); err != nil {
		return nil, fmt.Errorf("demo: licence types: %w", err)
	}
	return types, nil
}

func loadLicenceTypes(ctx context.Context, db *store.DB, now time.Time) error {
	types, err := LicenceTypes()
	if err != nil {
		return err
	}
	svc := licence.NewService(db, nil, nil, clock.Fixed(now))
	for _, t := range types {
		if _, err := svc.PutType(ctx, auth.System, t); err != nil {
			return fmt.Errorf("demo: licence type %s: %w", t.Code, err)
		}
	}
	return nil
}

// LicenceKeys makes a signing key in dir for every department of the demo's
// licence types that has none yet, so that the demo issues licences out of
// the box.
func LicenceKeys(dir string) error {
	types, err := LicenceTypes()
	if err != nil {
		return err
	}
	keys := licence.KeyDir{Path: dir}
	for _, t := range types {
		if _, err := keys.Current(t.DepartmentCode); err == nil {
			continue
		}
		if _, err := keys.New(t.DepartmentCode); err != nil {
			return fmt.Errorf("demo: licence key of %s: %w", t.DepartmentCode, err)
		}
	}
	return nil
}
