import { describe, expect, it } from "vitest";
import { WriteOrder } from "./write-order.js";

const tick = () => new Promise((r) => setImmediate(r));

describe("WriteOrder", () => {
  it("makes batches written together choose in file order, each seeing what the earlier ones create until they have ended", async () => {
    const order = new WriteOrder();
    const first = order.begin();
    const second = order.begin();
    let secondReady = false;
    void second.ready.then(() => (secondReady = true));
    await tick();
    // The second batch's lookup came back first: it waits for the first batch's choice.
    expect(secondReady).toBe(false);
    first.decided(new Map([["phone:+8613800000001", "a"]]));
    await tick();
    expect(secondReady).toBe(true);
    expect(second.owner("phone:+8613800000001")).toBe("a");
    expect(second.owner("phone:+8613800000002")).toBeUndefined();
    second.decided(new Map([["email:b@example.cn", "b"]]));
    // The first batch commits: a batch starting now reads it from the database, but one started before still needs it.
    first.ended();
    const third = order.begin();
    await third.ready;
    expect(third.owner("phone:+8613800000001")).toBeUndefined();
    expect(third.owner("email:b@example.cn")).toBe("b");
    third.decided(new Map());
    second.ended();
    third.ended();
    const fourth = order.begin();
    await fourth.ready;
    expect(fourth.owner("email:b@example.cn")).toBeUndefined();
  });

  it("does not hold later batches when a batch ends without choosing (its transaction failed)", async () => {
    const order = new WriteOrder();
    const failed = order.begin();
    const next = order.begin();
    failed.ended();
    await next.ready;
    expect(next.owner("phone:+8613800000001")).toBeUndefined();
  });

  it("hands a batch the choices of an earlier batch that ended after it started (committed or rolled back)", async () => {
    const order = new WriteOrder();
    const a = order.begin();
    const b = order.begin();
    a.decided(new Map([["phone:+8613800000009", "x"]]));
    await b.ready;
    a.ended();
    expect(b.owner("phone:+8613800000009")).toBe("x");
  });
});
