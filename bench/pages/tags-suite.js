export async function run() { return true; }
