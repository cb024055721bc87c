package notify

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Webhook receivers are named by administrators, but the requests are made
// by the server, from inside the data centre: a receiver at 127.0.0.1, at
// the cloud's metadata address or on the office network would let whoever
// can edit a webhook probe or call what only the server can reach. So a
// receiver must be on a public address unless the operator lists its
// network (a department system on the government intranet, 电子政务外网).
// The check is made on the address actually dialled, after DNS, so a name
// that resolves to an internal address is refused as well.

// errInternalReceiver marks a dial refused by the receiver address rule.
var errInternalReceiver = errors.New("the receiver's address is internal and not on the allowed networks (--webhook-allow-networks)")

// ReceiverAllowed reports whether a webhook may be delivered to addr:
// public unicast addresses always, internal ones (loopback, private,
// link-local, shared, unspecified, multicast, documentation) only within
// one of allowed.
func ReceiverAllowed(addr netip.Addr, allowed []netip.Prefix) bool {
	addr = addr.Unmap()
	if !addr.IsValid() {
		return false
	}
	for _, p := range allowed {
		if p.Contains(addr) {
			return true
		}
	}
	if addr.IsLoopback() || addr.IsPrivate() || addr.IsLinkLocalUnicast() || addr.IsLinkLocalMulticast() ||
		addr.IsInterfaceLocalMulticast() || addr.IsMulticast() || addr.IsUnspecified() {
		return false
	}
	for _, p := range internalRanges {
		if p.Contains(addr) {
			return false
		}
	}
	return true
}

// internalRanges are the special-purpose ranges (RFC 6890 and its updates)
// that the netip predicates do not name.
var internalRanges = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),       // "this network"
	netip.MustParsePrefix("100.64.0.0/10"),   // shared address space (carrier NAT)
	netip.MustParsePrefix("192.0.0.0/24"),    // IETF protocol assignments
	netip.MustParsePrefix("192.0.2.0/24"),    // documentation
	netip.MustParsePrefix("198.18.0.0/15"),   // benchmarking
	netip.MustParsePrefix("198.51.100.0/24"), // documentation
	netip.MustParsePrefix("203.0.113.0/24"),  // documentation
	netip.MustParsePrefix("240.0.0.0/4"),     // reserved, and broadcast
	netip.MustParsePrefix("64:ff9b:1::/48"),  // local-use IPv4/IPv6 translation
	netip.MustParsePrefix("2001:db8::/32"),   // documentation
}

// ParseNetworks reads a comma-separated list of CIDR ranges or single
// addresses, as the --webhook-allow-networks flag gives them.
func ParseNetworks(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(list, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if p, err := netip.ParsePrefix(f); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, fmt.Errorf("%q is neither an address nor a CIDR range", f)
		}
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}

// receiverClients holds one guarded client per allow list, so that
// connections to receivers are kept open between messages.
var receiverClients sync.Map // string(allow list) → *http.Client

// receiverClient is an HTTP client whose every connection is checked by
// ReceiverAllowed. Through a proxy from the environment, the proxy's own
// address is what is checked (the proxy then decides where it may go).
func receiverClient(allowed []netip.Prefix) *http.Client {
	key := fmt.Sprint(allowed)
	if c, ok := receiverClients.Load(key); ok {
		return c.(*http.Client)
	}
	dialer := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second,
		Control: func(network, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil {
				return fmt.Errorf("%w: %s", errInternalReceiver, address)
			}
			if !ReceiverAllowed(ap.Addr(), allowed) {
				return fmt.Errorf("%w: %s", errInternalReceiver, ap.Addr())
			}
			return nil
		}}
	c := &http.Client{Timeout: sendTimeout, Transport: &http.Transport{
		Proxy: http.ProxyFromEnvironment, DialContext: dialer.DialContext, ForceAttemptHTTP2: true,
		MaxIdleConns: 128, MaxIdleConnsPerHost: 32, IdleConnTimeout: 90 * time.Second, TLSHandshakeTimeout: 10 * time.Second},
		// A redirect could lead anywhere; receivers answer where they are asked.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	actual, _ := receiverClients.LoadOrStore(key, c)
	return actual.(*http.Client)
}
