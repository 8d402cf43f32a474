//! Connection limits of §20.3: at most `max_connections` on this node and
//! `max_connections_per_ip` from one client address. A permit is held for the
//! connection's whole life and released when its task ends.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

pub struct ConnLimits {
    max_total: usize,
    max_per_ip: u32,
    open: Mutex<(usize, HashMap<IpAddr, u32>)>,
}

pub struct Permit {
    limits: Arc<ConnLimits>,
    ip: Option<IpAddr>,
}

impl ConnLimits {
    pub fn new(max_total: usize, max_per_ip: u32) -> Arc<Self> {
        Arc::new(Self {
            max_total,
            max_per_ip,
            open: Mutex::new((0, HashMap::new())),
        })
    }

    /// A permit for one more connection from `ip`, or `None` over a limit.
    pub fn acquire(self: &Arc<Self>, ip: Option<IpAddr>) -> Option<Permit> {
        let mut open = self.open.lock().ok()?;
        if open.0 >= self.max_total {
            return None;
        }
        if let Some(ip) = ip {
            let count = open.1.entry(ip).or_default();
            if *count >= self.max_per_ip {
                return None;
            }
            *count += 1;
        }
        open.0 += 1;
        Some(Permit {
            limits: self.clone(),
            ip,
        })
    }
}

impl Drop for Permit {
    fn drop(&mut self) {
        if let Ok(mut open) = self.limits.open.lock() {
            open.0 = open.0.saturating_sub(1);
            if let Some(ip) = self.ip
                && let Some(count) = open.1.get_mut(&ip)
            {
                *count -= 1;
                if *count == 0 {
                    open.1.remove(&ip);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permits_are_counted_per_address_and_in_total_and_released_on_drop() {
        let limits = ConnLimits::new(3, 2);
        let a: IpAddr = [10, 0, 0, 1].into();
        let b: IpAddr = [10, 0, 0, 2].into();
        let first = limits.acquire(Some(a));
        let second = limits.acquire(Some(a));
        assert!(first.is_some() && second.is_some());
        assert!(limits.acquire(Some(a)).is_none(), "per-address limit");
        let third = limits.acquire(Some(b));
        assert!(third.is_some());
        assert!(limits.acquire(Some(b)).is_none(), "total limit");
        drop(first);
        assert!(limits.acquire(Some(a)).is_some(), "released on drop");
    }
}
