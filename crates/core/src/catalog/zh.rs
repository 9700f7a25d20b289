//! The Chinese (简体中文) texts of recert: see [`Catalog`] for
//! where each appears, and [`en`](super::en) for the English of each.
//!
//! Punctuation is full-width (`，：（）。`), and a space separates Chinese from
//! Latin letters and digits (`自 2030-01-01 起`), as in the packs.

use super::{Batch, Catalog, Docs, Eval, Html, InForce, Problems, Verify, Warnings};
use crate::report::{PerOutcome, PerSeverity, PerVerdict, Strings};

/// Every text in Chinese.
pub const ZH: Catalog = Catalog {
    report: Strings {
        report: "recert 评估报告",
        verdict: "结论",
        submission: "提交资料",
        product: "产品",
        sha256_normalized: "规范化内容的 sha256",
        sha256_file: "文件的 sha256",
        evaluated_at: "评估日期",
        engine: "引擎",
        found: "申报值",
        required: "要求",
        clause: "条款",
        place: "位置",
        rule: "规则",
        reason: "原因",
        fix: "整改建议",
        whole: "整份提交资料",
        packs: "规则包",
        plugins: "插件",
        params: "已覆盖的参数",
        applies: ("适用", "不适用"),
        version: "版本",
        secondary: "依据非官方文本，待核实",
        places: "处",
        default: "默认值",
        value: "取值",
        each_component: "各组件",
        colon: "：",
        comma: "，",
        open: "（",
        close: "）",
        pack_not_applicable: "该规则包不适用于本产品",
        rules: "条规则",
        computed_limit: "适用于该产品的限值",
        warnings_word: ("警告", "警告"),
        warnings_section: "警告",
        coverage: "覆盖范围",
        no_pack: "没有规则包覆盖",
        sector: "行业",
        verdicts: PerVerdict {
            pass: "通过",
            fail: "不通过",
            incomplete: "不完整",
            not_covered: "未覆盖",
        },
        verdict_meanings: PerVerdict {
            pass: "所有适用且已生效的规则均满足",
            fail: "至少一项要求未满足",
            incomplete: "没有不合格项，但部分规则无法评估，因此不能判定为通过",
            not_covered: "已加载的规则包中没有任何规则适用于本产品：未做任何检查，因此不能判定为通过",
        },
        sections: PerOutcome {
            fail: "不合格",
            error: "无法评估",
            pass: "合格",
            not_in_force: "在评估日期尚未生效或已失效",
            not_applicable: "不适用",
        },
        outcomes: PerOutcome {
            fail: "不合格",
            error: "无法评估",
            pass: "合格",
            not_in_force: "未生效",
            not_applicable: "不适用",
        },
        severities: PerSeverity {
            error: "严重",
            warning: "警告",
            info: "提示",
        },
    },
    in_force: InForce {
        from: |from| format!("自 {from} 起"),
        before: |until| format!("{until} 之前"),
        from_before: |from, until| format!("自 {from} 起，{until} 之前"),
        provisionally: "暂定",
        delay: |years, months| match (years, months) {
            (_, 0) => format!("{years} 年"),
            (0, _) => format!("{months} 个月"),
            _ => format!("{years} 年 {months} 个月"),
        },
        date_param: |param| format!("参数 `{param}` 的日期"),
        start: |from, delay, what| format!("自 {from} 起或自{what}起 {delay} 后，以较晚者为准"),
        provisional_note: |start| {
            format!("（暂定：本要求{start}适用；该日期尚未确定，因此不满足时仅作为警告。）")
        },
        provisional_window: |window, start| {
            format!("{window}（暂定：{start}适用；该日期确定前，不满足时仅作为警告）")
        },
    },
    eval: Eval {
        pack_applies_unknown: |pack, reason| format!("无法判断规则包 `{pack}` 是否适用：{reason}"),
        when_unknown: |reason| format!("无法评估适用条件 `when`：{reason}"),
        bound_unknown: |rule, side, reason| {
            format!("规则 `{rule}`：无法计算限值 `{side}`：{reason}")
        },
        missing: |pointer| format!("缺少 `{pointer}`：提交资料中没有该数据"),
        type_error: |message| format!("表达式无法求值：{message}"),
        not_finite: |expression, zero_mass| {
            let cause = if zero_mass {
                "各部件的总质量为 0，无法计算质量加权值"
            } else {
                "出现除以零或数值溢出"
            };
            format!("`{expression}` 的计算结果不是有限数值：{cause}；请提供可用于计算的质量和数值")
        },
        below_detection_undecided: |value, limit| {
            format!(
                "该值基于低于检出限的检测结果（{value}），无法据此判定是否符合限值 {limit}：请采用更灵敏的检测方法，使检出限不高于该限值"
            )
        },
        below_detection_not_monotone: |expression| {
            format!(
                "`{expression}` 的值不随其读取的浓度增大而增大，低于检出限的结果无法给出其上限：请提供定量检测值"
            )
        },
        below_detection_assert: "判定结果取决于低于检出限的检测结果，无法据此判定：请采用更灵敏的检测方法",
        over_iterations: |limit| {
            format!(
                "评估已中止：该规则的表达式需遍历超过 {limit} 个列表元素，超出单条规则的计算上限；须简化规则包"
            )
        },
        over_bytes: |limit| {
            format!(
                "评估已中止：该规则的表达式需生成超过 {limit} MiB 的文本和列表，超出单条规则的计算上限；须简化规则包"
            )
        },
        no_components: "提交资料中没有 `components`（组件清单）",
        fix_lower: |what, component, expected, actual| {
            let what = what.map_or_else(|| "该值".to_owned(), |w| format!(" `{w}` 的含量"));
            match component {
                Some(component) => {
                    let gap = if component.ends_with('）') || what.starts_with(' ') {
                        ""
                    } else {
                        " "
                    };
                    format!(
                        "须将组件 {component}{gap}中{what}由 {actual} 降至 {expected}：例如改用符合限值的材料或更换供应商，并以新的检测报告证实。"
                    )
                }
                None => format!("须将{what}由 {actual} 降至 {expected}。"),
            }
        },
        fix_raise: |what, expected, actual, gap| {
            let what = what.map_or_else(|| "该值".to_owned(), |w| format!(" `{w}` "));
            if gap.is_empty() {
                format!("须将{what}由 {actual} 提高至 {expected}。")
            } else {
                format!("须将{what}由 {actual} 提高至 {expected}（尚差 {gap}）。")
            }
        },
        fix_component: |id, name| match name {
            Some(name) => format!("{id}（{name}）"),
            None => id.to_owned(),
        },
        fix_missing: |field, component, lab, place| {
            let whose = component.map_or_else(
                || " ".to_owned(),
                |c| {
                    if c.ends_with('）') {
                        format!("组件 {c}的 ")
                    } else {
                        format!("组件 {c} 的 ")
                    }
                },
            );
            let place = place.map_or_else(String::new, |p| format!("（{p}）"));
            if lab {
                format!("请委托实验室检测{whose}`{field}`，并在提交资料中申报检测值{place}。")
            } else {
                format!("请在提交资料中申报{whose}`{field}`{place}。")
            }
        },
        fix_place: |line| format!("第 {line} 行下"),
    },
    docs: Docs {
        generated: "由 `recert docs` 根据规则包及其测试生成，请勿手工编辑：修改规则包后运行 `recert docs`。",
        language: "中文",
        pack: "规则包",
        version: "版本",
        file: "文件",
        tests: "测试",
        rules: "规则",
        standards: "标准",
        standard: "标准",
        id: "编号",
        verification: "核实情况",
        official: "官方文本",
        secondary: "二次文献",
        secondary_note: "仅经二次文献（非官方文本）确认；使用前须对照官方文本复核",
        applies_to: "适用范围",
        always_applies: "适用于所有提交资料（未设置 `applies_to`）。",
        in_words: "说明",
        params: "参数",
        params_intro: "规则使用的命名取值。认证机构可通过 `recert check --params FILE` 覆盖。",
        param: "参数",
        value: "取值",
        unit: "单位",
        row: "标准表条目",
        row_ref: "标准表条目",
        meaning: "含义",
        rule: "规则",
        title: "标题",
        severity: "严重程度",
        severity_error: "不满足即判定不通过",
        severity_other: "仅报告，不影响结论",
        requirement: "要求",
        decided_by_plugin: |plugin| format!("由插件判定：{plugin}"),
        reference: "依据",
        in_force: "生效期",
        always: "始终有效",
        from: |from| format!("自 {from} 起"),
        until: |until, last| format!("至 {until} 前（最后一天 {last}）"),
        from_until: |from, until, last| format!("自 {from} 起至 {until} 前（最后一天 {last}）"),
        runs: "评估方式",
        per_component: "对每个组件分别评估（`for_each: components`）",
        once: "对整份提交资料评估一次",
        when: "仅当",
        value_checked: "检查值",
        asserts: "断言",
        reports: "报告的申报值",
        plugin: "插件",
        config: "配置",
        examples: "示例",
        examples_from: "规则包测试对本规则的预期",
        no_examples: "没有测试用例涉及本规则。",
        case: "用例",
        date: "日期",
        expected_outcome: "结果",
        outcome_as_tested: |word, code| format!("{word}（{code}）"),
        outcome_separator: "；",
        with_params: "参数",
        and: "，且 ",
        is: "为",
        is_not: "不为",
        includes: "包含",
        is_true: "为真",
        is_false: "为假",
        is_given: "已提供",
        stop: "。",
        the_component: "该组件",
        the_value: "申报值",
        packs_title: "规则包",
        packs_intro: "recert 内置的规则包。每页列出规则包的标准、参数和规则，以及其测试所检查的用例。",
    },
    warnings: Warnings {
        share_as_fraction: |field, value, percent| {
            format!(
                "`{field}` 为 {value} %，而提交资料中其他比例均大于 1 %：是否应为 {percent} %？"
            )
        },
        share_as_fraction_help: "比例以百分数表示（0 至 100）：30 % 应写作 `30` 或 `30 %`，而不是 `0.3`；如确为 0.3 %，则无需修改",
        unknown_substance: |name| {
            format!("已加载的规则包和插件均未读取物质 `{name}`：该物质未经检查")
        },
        unknown_property: |name| {
            format!("已加载的规则包和插件均未读取性能指标 `{name}`：该指标未经检查")
        },
        did_you_mean: |suggestion| format!("是否应为 `{suggestion}`？"),
        unchecked_substance_help: "如名称无误，则没有规则检查该物质",
        unchecked_property_help: "如名称无误，则没有规则检查该性能指标",
    },
    batch: Batch {
        invalid: "无效",
        invalid_meaning: "无法读取该输入，或其不是有效的提交资料：未做任何评估",
        input: "输入",
        inputs: |count| format!("共 {count} 份输入"),
        most_failed: "不通过次数最多的规则",
        submissions: |count| format!("{count} 份提交资料"),
        more_rules: |count| format!("……另有 {count} 条规则（见 --summary FILE）"),
        per_pack: "按规则包统计",
        pack_counts: |applied, failed| format!("适用 {applied} 份，不通过 {failed} 份"),
    },
    verify: Verify {
        record: |n| format!("第 {n} 条记录"),
        signed_with_given_key: |id| format!("签名有效：由指定的密钥（{id}）签署"),
        signed_with_carried_key: |id| format!("签名有效：由密钥 {id} 签署"),
        self_asserted: "所用公钥取自报告本身：只能证明报告在用该密钥签署后未被改动，不能证明签署方是谁（用 --key PUBKEY 核验签署方）",
        unsigned: "报告未签名",
        malformed: |reason| format!("无法读取签名：{reason}"),
        unsupported: |field, value| {
            format!(
                "签名的 {field} 为 `{value}`，不受支持（recert 以 Ed25519 对 RFC 8785 规范化 JSON 签名）"
            )
        },
        wrong_key: |given, found| {
            format!("密钥不符：报告由密钥 {found} 签署，而非指定的密钥（{given}）")
        },
        mismatch: "签名与报告内容不符：报告在签署后被改动过",
        submission_file: |file| format!("提交资料文件 {file}（文件的 sha256）"),
        submission_normalized: |file| format!("提交资料 {file}（规范化内容的 sha256）"),
        pack: |id, file| format!("规则包 {id}（{file}）"),
        plugin: |id, file| format!("插件 {id}（{file}）"),
        matches: |what| format!("{what}：摘要一致"),
        differs: |what, expected, found| {
            format!("{what}：摘要不一致：报告记录为 {expected}，文件实际为 {found}")
        },
        not_found: |what| format!("{what}：未核对，给定的文件中没有该文件"),
        verified: "核验通过",
        not_verified: "核验未通过",
    },
    html: Html {
        digests: "哈希值（SHA-256）",
        findings: "评估结果",
        outcome: "结果",
        severity: "严重程度",
        message: "说明",
        fix: "整改建议",
        evidence: "证明材料",
        certificates: "产销监管链证书",
        lots: "供应商批次",
        documents: "证明文件",
        component: "组件",
        scheme: "认证体系",
        number: "证书编号",
        valid_until: "有效期至",
        expired: "评估日期时已过期",
        lot: "批次号",
        kind: "类型",
        title: "标题",
        no_evidence: "提交资料未提供证书、批次或证明文件。",
        no_findings: "没有任何规则包的规则适用于本产品。",
        reproduce: "以上哈希值标识本报告所依据的提交资料、规则包和插件：相同的文件得出相同的报告。",
    },
    problems: Problems {
        invalid_body: "请求正文不是有效的申报文件",
        invalid_body_detail: |n| {
            format!("共 {n} 处问题；每条诊断均注明其在请求正文中的行、列和路径")
        },
        bad_query: "查询参数无效",
        bad_query_detail: |name, value, expected| format!("{name}：`{value}` 不是 {expected}"),
        cannot_sign: "无法对报告签名",
        no_signing_key: "sign=true 需要以 --sign KEY 启动服务；本服务未配置签名密钥",
        sign_json_only: |format| {
            format!("sign=true 仅对 JSON 报告签名，不支持 format={format}：请使用 format=json")
        },
        too_large: "请求正文过大",
        too_large_detail: |mib| format!("申报文件最大为 {mib} MiB，与 recert check 相同"),
        overloaded: "服务繁忙",
        overloaded_detail: |limit, retry| {
            format!("正在评估和排队等候的请求已达本服务的上限 {limit} 个；请于 {retry} 秒后重试")
        },
        deadline: "评估超时",
        deadline_detail: |deadline| format!("评估未在服务设定的时限 {deadline} 内完成"),
        unknown_schema: "无此 Schema",
        unknown_schema_detail: |name, names| format!("`{name}` 不在 {names} 之中"),
        internal: "评估未能完成",
        internal_detail: "服务在评估此请求时出错；错误已按请求 ID 记入日志",
    },
};
