package metrics

import (
	"strings"
	"testing"
)

func TestCountersAndExposition(t *testing.T) {
	Describe("test_things_total", "things counted in a test")
	Inc("test_things_total", "point", `A"B`)
	Add("test_things_total", 2, "point", `A"B`)
	Inc("test_plain_total")
	if v := Value("test_things_total", "point", `A"B`); v != 3 {
		t.Fatalf("value %v, want 3", v)
	}
	var b strings.Builder
	if err := Write(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"# HELP test_things_total things counted in a test", "# TYPE test_things_total counter",
		`test_things_total{point="A\"B"} 3`, "test_plain_total 1"} {
		if !strings.Contains(out, want) {
			t.Errorf("exposition lacks %q:\n%s", want, out)
		}
	}
}
