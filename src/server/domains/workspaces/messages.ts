import { registerMessages } from "../../lib/i18n.js";

registerMessages({
  "workspace.time_zone_unknown": {
    "en-US": "Unknown time zone (give an IANA name such as Asia/Shanghai or Europe/Berlin)",
    "zh-CN": "未知时区（请填写 IANA 时区名，例如 Asia/Shanghai 或 Europe/Berlin）",
  },
});
