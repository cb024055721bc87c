package web

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"rsc.io/qr"
)

var qrRun = regexp.MustCompile(`M(\d+) (\d+)h(\d+)v1h-(\d+)z`)

// The SVG draws exactly the modules of the code, shifted by the quiet zone,
// so that any reader decodes what the encoder wrote.
func TestQRSVGDrawsEveryModule(t *testing.T) {
	for _, tc := range []struct{ name, text string }{
		{"verification address", "http://127.0.0.1:8080/verify/ABCDEFGHJKMN"},
		{"case address", "https://zwfw.example.cn/case/QZSQ-20261122-00001"},
		{"long", strings.Repeat("一窗通办", 40)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			svg, err := qrSVG(tc.text, `二维码 "<x>"`)
			if err != nil {
				t.Fatal(err)
			}
			code, err := qr.Encode(tc.text, qr.M)
			if err != nil {
				t.Fatal(err)
			}
			s := string(svg)
			side := code.Size + 2*qrQuietZone
			if !strings.Contains(s, fmt.Sprintf(`viewBox="0 0 %d %d"`, side, side)) {
				t.Errorf("viewBox does not leave the quiet zone: %.200s", s)
			}
			if strings.Contains(s, `"<x>"`) || !strings.Contains(s, `&#34;&lt;x&gt;&#34;`) {
				t.Errorf("the label is not escaped: %.300s", s)
			}
			drawn := make([][]bool, code.Size)
			for y := range drawn {
				drawn[y] = make([]bool, code.Size)
			}
			for _, m := range qrRun.FindAllStringSubmatch(s, -1) {
				x, _ := strconv.Atoi(m[1])
				y, _ := strconv.Atoi(m[2])
				n, _ := strconv.Atoi(m[3])
				if m[3] != m[4] {
					t.Fatalf("run %q is not a rectangle", m[0])
				}
				for i := 0; i < n; i++ {
					cx, cy := x+i-qrQuietZone, y-qrQuietZone
					if cx < 0 || cy < 0 || cx >= code.Size || cy >= code.Size {
						t.Fatalf("run %q reaches into the quiet zone", m[0])
					}
					if drawn[cy][cx] {
						t.Fatalf("module %d,%d drawn twice", cx, cy)
					}
					drawn[cy][cx] = true
				}
			}
			black := 0
			for y := 0; y < code.Size; y++ {
				for x := 0; x < code.Size; x++ {
					if drawn[y][x] != code.Black(x, y) {
						t.Fatalf("module %d,%d: drawn %v, code says %v", x, y, drawn[y][x], code.Black(x, y))
					}
					if drawn[y][x] {
						black++
					}
				}
			}
			if black == 0 {
				t.Fatal("nothing was drawn")
			}
		})
	}
}

func TestQRTooLong(t *testing.T) {
	if _, err := qrSVG(strings.Repeat("x", 5000), "qr"); err == nil {
		t.Error("a text too long for any QR version should be an error")
	}
}
