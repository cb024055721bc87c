package clientaddr

import (
	"crypto/tls"
	"net/http"
	"testing"
)

func request(peer string, headers ...string) *http.Request {
	r, _ := http.NewRequest("GET", "http://example.test/", nil)
	r.RemoteAddr = peer
	for i := 0; i+1 < len(headers); i += 2 {
		r.Header.Add(headers[i], headers[i+1])
	}
	return r
}

func TestAddr(t *testing.T) {
	proxies := MustParse("10.0.0.0/8, 192.168.1.10, ::1")
	for _, tc := range []struct {
		name    string
		proxies Proxies
		r       *http.Request
		want    string
	}{
		{"no proxies: the peer, whatever it says", Proxies{}, request("203.0.113.7:5000", "X-Forwarded-For", "1.2.3.4"), "203.0.113.7"},
		{"an untrusted peer cannot claim another address", proxies, request("203.0.113.7:5000", "X-Forwarded-For", "1.2.3.4"), "203.0.113.7"},
		{"a trusted proxy names the client", proxies, request("10.1.2.3:443", "X-Forwarded-For", "198.51.100.4"), "198.51.100.4"},
		{"the client's own header is skipped", proxies, request("10.1.2.3:443", "X-Forwarded-For", "1.2.3.4, 198.51.100.4"), "198.51.100.4"},
		{"a chain of trusted proxies", proxies, request("192.168.1.10:80", "X-Forwarded-For", "198.51.100.4, 10.9.9.9"), "198.51.100.4"},
		{"several header lines", proxies, request("10.1.2.3:443", "X-Forwarded-For", "1.2.3.4", "X-Forwarded-For", "198.51.100.4"), "198.51.100.4"},
		{"RFC 7239 Forwarded", proxies, request("10.1.2.3:443", "Forwarded", `for=1.2.3.4, for="[2001:db8::7]:4711";proto=https`), "2001:db8::7"},
		{"Forwarded wins over X-Forwarded-For", proxies, request("10.1.2.3:443", "Forwarded", "for=198.51.100.4", "X-Forwarded-For", "1.2.3.4"), "198.51.100.4"},
		{"garbage in the chain: the proxy", proxies, request("10.1.2.3:443", "X-Forwarded-For", "198.51.100.4, unknown"), "10.1.2.3"},
		{"a trusted peer without headers", proxies, request("10.1.2.3:443"), "10.1.2.3"},
		{"IPv6 loopback proxy", proxies, request("[::1]:8080", "X-Forwarded-For", "198.51.100.4"), "198.51.100.4"},
		{"IPv4-mapped peer", proxies, request("[::ffff:10.1.2.3]:443", "X-Forwarded-For", "198.51.100.4"), "198.51.100.4"},
	} {
		if got := tc.proxies.Addr(tc.r); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestHTTPS(t *testing.T) {
	proxies := MustParse("10.0.0.0/8")
	tlsReq := request("203.0.113.7:5000")
	tlsReq.TLS = &tls.ConnectionState{}
	for _, tc := range []struct {
		name string
		r    *http.Request
		want bool
	}{
		{"TLS itself", tlsReq, true},
		{"plain", request("203.0.113.7:5000"), false},
		{"an untrusted peer claiming https", request("203.0.113.7:5000", "X-Forwarded-Proto", "https"), false},
		{"a trusted proxy terminating TLS", request("10.1.2.3:80", "X-Forwarded-Proto", "https"), true},
		{"a trusted proxy over http", request("10.1.2.3:80", "X-Forwarded-Proto", "http"), false},
		{"Forwarded proto", request("10.1.2.3:80", "Forwarded", "for=1.2.3.4;proto=https"), true},
	} {
		if got := proxies.HTTPS(tc.r); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestParseProxies(t *testing.T) {
	for _, bad := range []string{"10.0.0.0/33", "example.org", "10.0.0.1/x"} {
		if _, err := ParseProxies(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if p, err := ParseProxies(" , "); err != nil || len(p.nets) != 0 {
		t.Errorf("an empty list: %v %v", p, err)
	}
}
