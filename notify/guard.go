package notify

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"time"
)

// Resolver looks up a host's addresses; net.DefaultResolver is one, and
// tests give their own to see what the guard refuses.
type Resolver interface {
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// ErrForbiddenAddress is a webhook host resolving to an address examd does
// not send to (loopback, private, link-local, multicast, unspecified).
var ErrForbiddenAddress = errors.New("webhook host resolves to a forbidden address")

// Forbidden tells whether examd refuses to send to a: loopback, private
// (RFC 1918, fc00::/7, 100.64/10), link-local, multicast or unspecified,
// IPv4-mapped IPv6 judged as the IPv4 address it carries.
func Forbidden(a netip.Addr) bool {
	a = a.Unmap()
	return !a.IsValid() || a.IsLoopback() || a.IsPrivate() || a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast() ||
		a.IsInterfaceLocalMulticast() || a.IsMulticast() || a.IsUnspecified() || cgnat.Contains(a) || a == broadcast
}

var (
	cgnat     = netip.MustParsePrefix("100.64.0.0/10")
	broadcast = netip.MustParseAddr("255.255.255.255")
)

// guardedDialer resolves the host itself at dial time, refuses forbidden
// addresses (unless allowPrivate) and dials the address it checked, so a
// DNS answer cannot change between the check and the connection.
type guardedDialer struct {
	resolver     Resolver
	allowPrivate bool
	dialer       net.Dialer
}

func (g *guardedDialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	var addrs []netip.Addr
	if ip, perr := netip.ParseAddr(host); perr == nil {
		addrs = []netip.Addr{ip}
	} else {
		addrs, err = g.resolver.LookupNetIP(ctx, "ip", host)
		if err != nil {
			return nil, fmt.Errorf("resolve %s: %w", host, err)
		}
	}
	var lastErr error = fmt.Errorf("resolve %s: no addresses", host)
	for _, a := range addrs {
		if !g.allowPrivate && Forbidden(a) {
			lastErr = fmt.Errorf("%w: %s is %s", ErrForbiddenAddress, host, a.Unmap())
			continue
		}
		c, err := g.dialer.DialContext(ctx, network, net.JoinHostPort(a.Unmap().String(), port))
		if err == nil {
			return c, nil
		}
		lastErr = err
	}
	return nil, lastErr
}

func newGuardedDialer(r Resolver, allowPrivate bool) *guardedDialer {
	if r == nil {
		r = net.DefaultResolver
	}
	return &guardedDialer{resolver: r, allowPrivate: allowPrivate, dialer: net.Dialer{Timeout: 5 * time.Second}}
}
