//! The client's address. Behind a TLS proxy every connection comes from the
//! proxy, so the address it forwards is believed, but only from proxies named
//! in `SL_TRUSTED_PROXIES`; otherwise the socket address is the client's.
use crate::config::{Cidr, ForwardedHeader};
use axum::http::HeaderMap;
use std::net::IpAddr;

/// The addresses a request passed through, nearest last (`X-Forwarded-For`,
/// or the `for=` of `Forwarded` when that is what the proxy sends).
fn forwarded_chain(headers: &HeaderMap, which: ForwardedHeader) -> Vec<IpAddr> {
    if which == ForwardedHeader::XForwardedFor {
        return headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|a| a.trim().parse::<IpAddr>().ok())
            .map(|ip| ip.to_canonical())
            .collect();
    }
    headers
        .get_all("forwarded")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split([',', ';']))
        .filter_map(|pair| pair.trim().strip_prefix("for=").or_else(|| pair.trim().strip_prefix("For=")))
        .filter_map(|a| {
            let a = a.trim_matches('"');
            // `[2001:db8::1]:4711` or `192.0.2.1:4711` or a bare address.
            let host = match a.strip_prefix('[') {
                Some(rest) => rest.split(']').next().unwrap_or(""),
                None => a.rsplit_once(':').filter(|(h, _)| !h.contains(':')).map_or(a, |(h, _)| h),
            };
            host.parse::<IpAddr>().ok().map(|ip| ip.to_canonical())
        })
        .collect()
}

/// The client: walking back from the socket through trusted proxies, the
/// first address that is not one of them.
pub fn client_ip(
    peer: Option<IpAddr>,
    headers: &HeaderMap,
    trusted: &[Cidr],
    which: ForwardedHeader,
) -> Option<IpAddr> {
    let peer = peer?.to_canonical();
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|c| c.contains(*ip));
    if !is_trusted(&peer) {
        return Some(peer);
    }
    let chain = forwarded_chain(headers, which);
    Some(chain.iter().rev().find(|ip| !is_trusted(ip)).or(chain.first()).copied().unwrap_or(peer))
}

/// How an address is counted for throttling: IPv6 by its /64, since one
/// subscriber usually has a whole /64 to rotate through.
pub fn throttle_key(ip: Option<IpAddr>) -> String {
    match ip {
        Some(IpAddr::V6(v6)) if v6.to_ipv4_mapped().is_none() => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        Some(IpAddr::V6(v6)) => v6.to_ipv4_mapped().map(|v4| v4.to_string()).unwrap_or_default(),
        Some(ip) => ip.to_string(),
        None => "unknown".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(name: &'static str, v: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(name, HeaderValue::from_str(v).unwrap());
        h
    }

    #[test]
    fn forwarded_addresses_are_believed_only_from_trusted_proxies() {
        let proxy: Cidr = "10.0.0.0/8".parse().unwrap();
        let h = headers("x-forwarded-for", "198.51.100.7, 203.0.113.9, 10.0.0.2");
        // Not through a trusted proxy: the socket is the client, whatever the header says.
        let x = ForwardedHeader::XForwardedFor;
        assert_eq!(client_ip(Some("192.0.2.1".parse().unwrap()), &h, &[proxy], x), Some("192.0.2.1".parse().unwrap()));
        // Through it: the nearest address the proxies did not add (a client can prepend lies).
        assert_eq!(client_ip(Some("10.0.0.1".parse().unwrap()), &h, &[proxy], x), Some("203.0.113.9".parse().unwrap()));
        // An IPv4 proxy seen on an IPv6 socket is still the proxy.
        assert_eq!(
            client_ip(Some("::ffff:10.0.0.1".parse().unwrap()), &h, &[proxy], x),
            Some("203.0.113.9".parse().unwrap())
        );
        let f = headers("forwarded", "for=192.0.2.60;proto=https, for=\"[2001:db8::7]:4711\"");
        let fw = ForwardedHeader::Forwarded;
        assert_eq!(
            client_ip(Some("10.0.0.1".parse().unwrap()), &f, &[proxy], fw),
            Some("2001:db8::7".parse().unwrap())
        );
        // Only the configured header is read: one the client sent through the proxy is ignored.
        assert_eq!(client_ip(Some("10.0.0.1".parse().unwrap()), &f, &[proxy], x), Some("10.0.0.1".parse().unwrap()));
        assert_eq!(client_ip(None, &h, &[proxy], x), None);
    }

    #[test]
    fn ipv6_is_counted_by_its_64() {
        let a = throttle_key(Some("2001:db8:1:2:aaaa::1".parse().unwrap()));
        assert_eq!(a, throttle_key(Some("2001:db8:1:2:bbbb::9".parse().unwrap())));
        assert_ne!(a, throttle_key(Some("2001:db8:1:3::1".parse().unwrap())));
        assert_eq!(throttle_key(Some("192.0.2.1".parse().unwrap())), "192.0.2.1");
        assert_eq!(throttle_key(Some("::ffff:192.0.2.1".parse().unwrap())), "192.0.2.1");
    }
}
