//! Results rendered for people: the reconciliation as the CLI's `--table` and the demo print it.

use std::fmt::Write as _;

use punchout_plugin::order::reconcile::{Reconciliation, Verdict};

/// A reconciliation as a short report: the verdict, one row per line with its differences, the
/// header findings, the computed totals, and the reasons with the rule behind each.
pub fn reconciliation(result: &Reconciliation) -> String {
    let mut text = String::new();
    let verdict = match result.verdict {
        Verdict::Accept => "ACCEPT",
        Verdict::AcceptWithChanges => "ACCEPT WITH CHANGES",
        Verdict::Hold => "HOLD FOR REVIEW",
        Verdict::Reject => "REJECT",
    };
    let _ = writeln!(
        text,
        "order {} ({}): {verdict}\n  {}",
        result.order_id,
        result.order_type.as_str(),
        result.message
    );
    if !result.lines.is_empty() {
        let _ = writeln!(text, "\nlines:");
        let rows: Vec<[String; 4]> = result
            .lines
            .iter()
            .map(|line| {
                let cart = line.cart_line.as_ref().map_or_else(
                    || "-".to_owned(),
                    |cart| format!("{} ({})", cart.line_ref, cart.sku),
                );
                let order = if line.order_lines.is_empty() {
                    "-".to_owned()
                } else {
                    line.order_lines
                        .iter()
                        .map(|order| format!("#{}", order.line_number))
                        .collect::<Vec<_>>()
                        .join(" ")
                };
                let outcome = line.outcome.as_str();
                let detail = if line.differences.is_empty() {
                    String::new()
                } else {
                    line.differences
                        .iter()
                        .map(|difference| {
                            let change = match (&difference.change, &difference.change_percent) {
                                (Some(change), Some(percent)) => {
                                    format!(" ({change}, {percent} %)")
                                }
                                (Some(change), None) => format!(" ({change})"),
                                _ => String::new(),
                            };
                            format!(
                                "{} {} -> {}{change}",
                                difference.field.describe(),
                                difference.cart,
                                difference.order
                            )
                        })
                        .collect::<Vec<_>>()
                        .join("; ")
                };
                [
                    cart,
                    order,
                    format!("{outcome} [{}]", line.action.as_str()),
                    detail,
                ]
            })
            .collect();
        let header = [
            "cart line".to_owned(),
            "order".to_owned(),
            "outcome [action]".to_owned(),
            "differences (cart -> order)".to_owned(),
        ];
        let widths: Vec<usize> = (0..3)
            .map(|column| {
                rows.iter()
                    .chain(std::iter::once(&header))
                    .map(|row| row[column].chars().count())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        for row in std::iter::once(&header).chain(rows.iter()) {
            let row = format!(
                "  {:w0$}  {:w1$}  {:w2$}  {}",
                row[0],
                row[1],
                row[2],
                row[3],
                w0 = widths[0],
                w1 = widths[1],
                w2 = widths[2],
            );
            let _ = writeln!(text, "{}", row.trim_end());
        }
    }
    if !result.header.is_empty() {
        let _ = writeln!(text, "\nheader:");
        for finding in &result.header {
            let _ = writeln!(text, "  [{}] {}", finding.action.as_str(), finding.message);
        }
    }
    if let Some(totals) = &result.totals {
        let _ = write!(
            text,
            "\ntotals ({}): items {}",
            totals.currency, totals.items
        );
        if let Some(shipping) = &totals.shipping {
            let _ = write!(text, ", shipping {shipping}");
        }
        if let Some(tax) = &totals.tax {
            let _ = write!(text, ", tax {tax}");
        }
        let _ = writeln!(
            text,
            "; computed {}, stated {}",
            totals.computed, totals.stated
        );
    }
    if !result.reasons.is_empty() {
        let _ = writeln!(text, "\nreasons:");
        for reason in &result.reasons {
            let _ = writeln!(
                text,
                "  {:6} {:18} {}",
                reason.action.as_str(),
                reason.rule.profile_key(),
                reason.message
            );
        }
    }
    text
}
