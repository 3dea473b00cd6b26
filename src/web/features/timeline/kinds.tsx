import {
  CarOutlined,
  FileTextOutlined,
  MailOutlined,
  MessageOutlined,
  PhoneOutlined,
  TeamOutlined,
  ThunderboltOutlined,
} from "@ant-design/icons";
import type { ReactNode } from "react";
import type { ActivityKind } from "./api.js";

export const KIND_ICONS: Record<ActivityKind, ReactNode> = {
  call: <PhoneOutlined />,
  visit: <CarOutlined />,
  meeting: <TeamOutlined />,
  email: <MailOutlined />,
  im: <MessageOutlined />,
  note: <FileTextOutlined />,
  system: <ThunderboltOutlined />,
};

export const KIND_COLORS: Record<ActivityKind, string> = {
  call: "#1d39c4",
  visit: "#d46b08",
  meeting: "#531dab",
  email: "#08979c",
  im: "#389e0d",
  note: "#8c8c8c",
  system: "#595959",
};

/** Kinds where the place matters (where we met). */
export const PLACE_KINDS = new Set<ActivityKind>(["visit", "meeting"]);
/** Kinds with a length worth noting. */
export const DURATION_KINDS = new Set<ActivityKind>(["call", "visit", "meeting"]);
