// Package clientaddr tells who is on the other end of a request: the
// client's address, and whether it came over HTTPS. Behind a reverse proxy
// or a load balancer every request arrives from the proxy, so its
// forwarding headers are believed, but only when the peer is one of the
// proxies an operator named (--trusted-proxies); anyone else could write
// those headers themselves.
package clientaddr

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// Proxies are the trusted reverse proxies. The zero value trusts none: the
// client is the peer of the connection.
type Proxies struct {
	nets []netip.Prefix
}

// ParseProxies reads a comma-separated list of addresses and CIDR ranges
// ("10.0.0.0/8, 192.168.1.10, ::1").
func ParseProxies(list string) (Proxies, error) {
	var p Proxies
	for _, item := range strings.Split(list, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if strings.Contains(item, "/") {
			pre, err := netip.ParsePrefix(item)
			if err != nil {
				return Proxies{}, fmt.Errorf("%q is not an address or a CIDR range", item)
			}
			p.nets = append(p.nets, pre.Masked())
			continue
		}
		a, err := netip.ParseAddr(item)
		if err != nil {
			return Proxies{}, fmt.Errorf("%q is not an address or a CIDR range", item)
		}
		a = a.Unmap()
		p.nets = append(p.nets, netip.PrefixFrom(a, a.BitLen()))
	}
	return p, nil
}

// MustParse is ParseProxies for lists known to be valid (tests, constants).
func MustParse(list string) Proxies {
	p, err := ParseProxies(list)
	if err != nil {
		panic(err)
	}
	return p
}

func (p Proxies) trusts(a netip.Addr) bool {
	a = a.Unmap()
	for _, n := range p.nets {
		if n.Contains(a) {
			return true
		}
	}
	return false
}

// peer is the address the connection came from.
func peer(r *http.Request) (netip.Addr, string) {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}, host
	}
	return a.Unmap(), a.Unmap().String()
}

// Addr returns the client's address. When the peer is a trusted proxy, it
// walks the forwarding chain (Forwarded's for=, else X-Forwarded-For) from
// the nearest hop outwards and returns the first address that is not itself
// a trusted proxy; a chain it cannot read leaves the peer.
func (p Proxies) Addr(r *http.Request) string {
	a, s := peer(r)
	if !a.IsValid() || !p.trusts(a) {
		return s
	}
	chain := forwardedFor(r)
	for i := len(chain) - 1; i >= 0; i-- {
		hop, err := netip.ParseAddr(chain[i])
		if err != nil {
			return s // not an address (obfuscated, "unknown"): trust nothing beyond
		}
		if !p.trusts(hop) {
			return hop.Unmap().String()
		}
		s = hop.Unmap().String()
	}
	return s
}

// HTTPS reports whether the client reached the server over HTTPS: the
// connection itself is TLS, or a trusted proxy says so (Forwarded's
// proto=https or X-Forwarded-Proto: https).
func (p Proxies) HTTPS(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	a, _ := peer(r)
	if !a.IsValid() || !p.trusts(a) {
		return false
	}
	if proto := forwardedProto(r); proto != "" {
		return strings.EqualFold(proto, "https")
	}
	xf := strings.Split(r.Header.Get("X-Forwarded-Proto"), ",")
	return strings.EqualFold(strings.TrimSpace(xf[len(xf)-1]), "https")
}

// forwardedFor lists the client addresses of the forwarding headers, the
// farthest first: RFC 7239 Forwarded when present, else X-Forwarded-For.
func forwardedFor(r *http.Request) []string {
	var out []string
	if fw := r.Header.Values("Forwarded"); len(fw) > 0 {
		for _, elem := range splitElements(fw) {
			if v, ok := elem["for"]; ok {
				out = append(out, stripPort(v))
			}
		}
		return out
	}
	for _, line := range r.Header.Values("X-Forwarded-For") {
		for _, v := range strings.Split(line, ",") {
			if v = strings.TrimSpace(v); v != "" {
				out = append(out, stripPort(v))
			}
		}
	}
	return out
}

// forwardedProto is the proto= of the nearest Forwarded element, if any.
func forwardedProto(r *http.Request) string {
	elems := splitElements(r.Header.Values("Forwarded"))
	if len(elems) == 0 {
		return ""
	}
	return elems[len(elems)-1]["proto"]
}

// splitElements parses Forwarded header lines into their elements
// (comma-separated), each a map of lower-cased parameter to value.
func splitElements(lines []string) []map[string]string {
	var out []map[string]string
	for _, line := range lines {
		for _, elem := range strings.Split(line, ",") {
			m := map[string]string{}
			for _, pair := range strings.Split(elem, ";") {
				k, v, ok := strings.Cut(strings.TrimSpace(pair), "=")
				if !ok {
					continue
				}
				m[strings.ToLower(strings.TrimSpace(k))] = strings.Trim(strings.TrimSpace(v), `"`)
			}
			out = append(out, m)
		}
	}
	return out
}

// stripPort removes a port and IPv6 brackets: "[2001:db8::1]:443" →
// "2001:db8::1", "203.0.113.7:5000" → "203.0.113.7".
func stripPort(v string) string {
	if strings.HasPrefix(v, "[") {
		if i := strings.Index(v, "]"); i > 0 {
			return v[1:i]
		}
	}
	if strings.Count(v, ":") == 1 {
		host, _, err := net.SplitHostPort(v)
		if err == nil {
			return host
		}
	}
	return v
}
