package api_test

import (
	"os"
	"testing"

	"github.com/onewindow/onewindow/demo/demotest"
)

// TestMain drops the PostgreSQL demo templates the tests made.
func TestMain(m *testing.M) {
	code := m.Run()
	demotest.Cleanup()
	os.Exit(code)
}
